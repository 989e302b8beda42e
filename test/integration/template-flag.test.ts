/**
 * `discovery-tray up --template-name NAME`: the built-in is rendered now and kept in the state
 * folder, so a plain `up` afterwards renders it again; a name that is not a built-in is a usage
 * error that lists the names. Real processes, real Docker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../contract/index.js';
import { removeTestStack } from '../support/engine-fixture.js';
import { testImages } from '../support/images.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const project = `dt-it-tflag-${process.pid}`;
const stateDir = mkdtempSync(join(tmpdir(), 'dt-tflag-state-'));
const env = {
  ...process.env,
  DISCOVERY_TRAY_STATE_DIR: stateDir,
  DISCOVERY_TRAY_PROJECT: project,
  DISCOVERY_TRAY_CONSUL_IMAGE: testImages.consul,
  DISCOVERY_TRAY_LB_IMAGE: testImages.lb,
  DISCOVERY_TRAY_WEB_IMAGE: testImages.web,
};

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function up(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', 'up', ...args], { env });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  await waitFor(
    'up to report ready',
    () => output.includes('Discovery Tray is up') || child.exitCode !== null,
    {
      timeoutMs: 90_000,
      intervalMs: 100,
    },
  );
  expect(output).toContain('Discovery Tray is up');
  return child;
}

async function live(): Promise<EngineStatus['liveTemplate']> {
  const result = await cli(['status', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as EngineStatus).liveTemplate;
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await waitFor('the engine to stop', () => child.exitCode !== null, { timeoutMs: 30_000 });
}

describe('up --template-name', () => {
  const started: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
    await removeTestStack(undefined, project);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('refuses a name that is not a built-in, naming the built-ins', async () => {
    const result = await cli(['up', '--template-name', 'fancy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--template-name is one of classic, services-localhost; got "fancy"');
  });

  it('renders the named built-in and keeps it for the next plain up', async () => {
    const ports = ['--lb-port', String(await freePort()), '--consul-port', String(await freePort())];
    const first = await up(['--template-name', 'services-localhost', ...ports]);
    started.push(first);
    expect(await live()).toMatchObject({ origin: 'flag', builtin: 'services-localhost' });
    await stop(first);

    const second = await up(ports);
    started.push(second);
    expect(await live()).toMatchObject({ origin: 'kept', builtin: 'services-localhost' });
    await stop(second);
  });
});
