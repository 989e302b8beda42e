import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../main/app/backend.js';
import { ControlClient, NoEngineError } from '../../../main/server/control-client.js';
import { loadEndpoint } from '../../../main/server/state-file.js';

let stateDir: string;
const previous = process.env.DISCOVERY_TRAY_STATE_DIR;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'dt-state-'));
  process.env.DISCOVERY_TRAY_STATE_DIR = stateDir;
});
afterAll(async () => {
  if (previous === undefined) delete process.env.DISCOVERY_TRAY_STATE_DIR;
  else process.env.DISCOVERY_TRAY_STATE_DIR = previous;
  await rm(stateDir, { recursive: true, force: true });
});

describe("the app's backend", () => {
  it('publishes the control API so that the CLI reaches the app engine, and refuses a second engine', async () => {
    const first = createBackend({});
    await first.control.open();
    const endpoint = await loadEndpoint();
    expect(endpoint?.pid).toBe(process.pid);

    // What `discovery-tray status` does: the app's (not yet started) engine answers.
    const client = await ControlClient.connect();
    const status = await client.call('getStatus');
    expect(status.state).toBe('stopped');
    expect(status.lb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const second = createBackend({});
    await expect(second.control.open()).rejects.toMatchObject({
      code: 'engine-running',
      message: expect.stringContaining(
        `Another Discovery Tray engine is running (control API ${client.baseUrl})`,
      ) as string,
    });

    await first.control.close();
    expect(await loadEndpoint()).toBeUndefined();
    await expect(ControlClient.connect()).rejects.toBeInstanceOf(NoEngineError);
  });
});
