/**
 * The CLI as a user runs it, for integration tests: its own project name and
 * private state folder (so parallel test files never share an engine), the
 * test images, and the real `main/cli.ts` in a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { EngineStatus } from '../../contract/index.js';
import { removeTestStack } from './engine-fixture.js';
import { testImages } from './images.js';
import { waitFor } from './wait.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningUp {
  child: ChildProcess;
  /** Everything `up` printed so far (stdout and stderr). */
  output: () => string;
}

const READY = 'Discovery Tray is up';

export class CliSession {
  readonly project: string;
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly started: ChildProcess[] = [];

  /** `name` makes the project and the state folder recognisable in `docker ps` and /tmp. */
  constructor(name: string) {
    this.project = `dt-it-${name}-${process.pid}`;
    this.stateDir = mkdtempSync(join(tmpdir(), `dt-${name}-state-`));
    this.env = {
      ...process.env,
      DISCOVERY_TRAY_STATE_DIR: this.stateDir,
      DISCOVERY_TRAY_PROJECT: this.project,
      DISCOVERY_TRAY_CONSUL_IMAGE: testImages.consul,
      DISCOVERY_TRAY_LB_IMAGE: testImages.lb,
      DISCOVERY_TRAY_WEB_IMAGE: testImages.web,
    };
  }

  /** One CLI command to its end: exit code and both outputs. */
  run(args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', ...args], { env: this.env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** `up` left running in the background; resolves once it says it is up (fails the test if it exits first). */
  async up(args: string[]): Promise<RunningUp> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', 'up', ...args], {
      env: this.env,
    });
    this.started.push(child);
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    await waitFor('up to report ready', () => output.includes(READY) || child.exitCode !== null, {
      timeoutMs: 90_000,
      intervalMs: 100,
    });
    expect(output).toContain(READY);
    return { child, output: () => output };
  }

  async status(): Promise<EngineStatus> {
    const result = await this.run(['status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as EngineStatus;
  }

  /** Ends the `up` processes this session started (by their pid), removes its stack and its state folder. */
  async cleanup(): Promise<void> {
    for (const child of this.started)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await removeTestStack(undefined, this.project);
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
