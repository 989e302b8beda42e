/**
 * The state folder full or unwritable: a clear error that says what to do,
 * and nothing half-written (the previous file stays whole, no temporary file
 * is left behind). The full disk is a real 4 KiB tmpfs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFile, saveEndpoint } from '../../main/server/state-file.js';
import { docker } from '../support/docker-fixtures.js';
import { removeTestStack } from '../support/engine-fixture.js';
import { testImages } from '../support/images.js';
import { freePort } from '../support/ports.js';

describe('state folder full or unwritable', () => {
  const full = mkdtempSync(join(tmpdir(), 'dt-full-'));
  let mounted = false;
  const previousStateDir = process.env.DISCOVERY_TRAY_STATE_DIR;

  beforeAll(() => {
    // A tmpfs is world-writable (1777) unless told otherwise, and a state folder must be private.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k,mode=0700', 'tmpfs', full]);
    mounted = true;
  });

  afterAll(() => {
    if (previousStateDir === undefined) delete process.env.DISCOVERY_TRAY_STATE_DIR;
    else process.env.DISCOVERY_TRAY_STATE_DIR = previousStateDir;
    if (mounted) execFileSync('umount', [full]);
    rmSync(full, { recursive: true, force: true });
  });

  it('on a full disk: a clear error, and the previous file stays whole', async () => {
    process.env.DISCOVERY_TRAY_STATE_DIR = full;
    const previous = { pid: 1, port: 1234, token: 'previous-token', startedAt: 1 };
    await saveEndpoint(previous);
    const before = readFileSync(endpointFile(), 'utf8');
    // Fill what is left.
    try {
      writeFileSync(join(full, 'filler'), Buffer.alloc(64 * 1024));
    } catch {
      // ENOSPC: the disk is full now, as wanted.
    }
    await expect(
      saveEndpoint({ pid: 2, port: 5678, token: `new-token-${'x'.repeat(4000)}`, startedAt: 2 }),
    ).rejects.toThrow(/Cannot write the engine's state to .*(ENOSPC|no space).*DISCOVERY_TRAY_STATE_DIR/i);
    expect(readFileSync(endpointFile(), 'utf8')).toBe(before);
    expect(readdirSync(full).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('up with an unwritable state folder says so before it creates anything', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'dt-blocked-')), 'not-a-folder');
    writeFileSync(blocker, 'a file where the state folder should be');
    const project = `dt-it-state-${process.pid}`;
    const [lbPort, consulPort] = [String(await freePort()), String(await freePort())];
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'main/cli.ts', 'up', '--lb-port', lbPort, '--consul-port', consulPort],
        {
          env: {
            ...process.env,
            DISCOVERY_TRAY_STATE_DIR: join(blocker, 'state'),
            DISCOVERY_TRAY_PROJECT: project,
            DISCOVERY_TRAY_CONSUL_IMAGE: testImages.consul,
            DISCOVERY_TRAY_LB_IMAGE: testImages.lb,
            DISCOVERY_TRAY_WEB_IMAGE: testImages.web,
          },
        },
      );
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, output });
      });
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/Cannot write the engine's state to .*DISCOVERY_TRAY_STATE_DIR/);
    const created = await docker.listContainers({
      all: true,
      filters: { label: [`org.discovery-tray.stack=${project}`] },
    });
    await removeTestStack(undefined, project);
    expect(created).toEqual([]);
  });
});
