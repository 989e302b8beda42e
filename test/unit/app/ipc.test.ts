import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LIMITS, ipcChannel, operationsFor } from '../../../contract/index.js';
import { UserError } from '../../../main/engine/errors.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { electron, resetElectron } from '../../support/electron-double.js';
import { FakeRuntime } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { registerIpcHandlers } = await import('../../../main/app/ipc.js');

const DASHBOARD = { senderFrame: { url: 'app://dashboard/index.html' } };

async function setup() {
  const engine = new FakeRuntime();
  const openUrl = vi.fn((_url: string) => Promise.resolve());
  const service = new DiscoveryService(engine, { openUrl });
  await service.startDemo();
  const dispose = registerIpcHandlers(service);
  const call = (name: string, event: unknown, ...args: unknown[]): Promise<unknown> => {
    const handler = electron.ipcMain.handlers.get(`discovery-tray:${name}`);
    if (!handler) throw new Error(`no handler for ${name}`);
    return handler(event, ...args) as Promise<unknown>;
  };
  return { engine, service, openUrl, dispose, call };
}

beforeEach(() => resetElectron());

describe('IPC handlers', () => {
  it('register one handler per operation the window may call (from the table), and remove them again', async () => {
    const { dispose } = await setup();
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(
      operationsFor('ui', 'desktop').map(ipcChannel).sort(),
    );
    // The terminal's operations are not the window's.
    expect(electron.ipcMain.handlers.has(ipcChannel('down'))).toBe(false);
    expect(electron.ipcMain.handlers.has(ipcChannel('shutdown'))).toBe(false);
    dispose();
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it.each([
    ['another site', { senderFrame: { url: 'https://evil.example/' } }],
    ['a file page', { senderFrame: { url: 'file:///work/main/renderer/dist/index.html' } }],
    ['a look-alike host', { senderFrame: { url: 'app://dashboard.evil/index.html' } }],
    ['a frame that is gone', { senderFrame: null }],
  ])('refuse a call from %s, without reaching the engine', async (_what, event) => {
    const { engine, call } = await setup();
    const reply = await call('scale', event, { service: 'web', count: 2 });
    expect(reply).toEqual({
      error: { code: 'forbidden', message: expect.stringContaining('only the dashboard may call') as string },
    });
    expect(engine.scaler.scale).not.toHaveBeenCalled();
  });

  it('forward a good scale request and wrap the answer', async () => {
    const { engine, call } = await setup();
    const reply = await call('scale', DASHBOARD, { service: 'web', count: 3 });
    expect(engine.scaler.scale).toHaveBeenCalledWith('web', 3, undefined);
    expect(reply).toEqual({
      result: { service: 'web', desired: 3, running: 3, superseded: false, warnings: [] },
    });
  });

  it.each([
    [{ service: 'web', count: 1.5 }, 'count must be a whole number from 0 to 100; got 1.5.'],
    [{ service: 'web', count: -1 }, 'count must be a whole number from 0 to 100; got -1.'],
    [
      { service: 'web', count: LIMITS.maxWebInstances + 1 },
      'count must be a whole number from 0 to 100; got 101.',
    ],
    [{ service: 'web', count: '3' }, 'count must be a whole number from 0 to 100; got "3".'],
    [
      { service: 'consul', count: 1 },
      'service must be web (the demo\'s) or a Compose service as <project>/<service>; got "consul".',
    ],
    [
      { count: 1 },
      "service must be web (the demo's) or a Compose service as <project>/<service>; got nothing.",
    ],
    [{ service: 'web', count: 1, extra: true }, 'does not take "extra".'],
    [null, 'needs {service, count, host?}; got null.'],
  ])('refuse scale(%j) with the contract validator’s message', async (request, message) => {
    const { engine, call } = await setup();
    expect(await call('scale', DASHBOARD, request)).toEqual({
      error: { code: 'bad-request', message: `scale: ${message} Nothing was changed.` },
    });
    expect(engine.scaler.scale).not.toHaveBeenCalled();
  });

  it('check the other arguments: timeline cursor, template text, external target, extra arguments', async () => {
    const { engine, call, openUrl } = await setup();
    expect(await call('getTimeline', DASHBOARD, { after: -1 })).toMatchObject({
      error: { code: 'bad-request' },
    });
    expect(await call('getTimeline', DASHBOARD)).toEqual({ result: [] });

    expect(await call('setTemplate', DASHBOARD, { source: 42 })).toMatchObject({
      error: { code: 'bad-request' },
    });
    const tooBig = 'x'.repeat(LIMITS.maxTemplateBytes + 1);
    expect(await call('setTemplate', DASHBOARD, { source: tooBig })).toEqual({
      error: {
        code: 'bad-request',
        message: `setTemplate: The template is ${tooBig.length} bytes; the limit is 65536. Nothing was changed.`,
      },
    });
    expect(engine.loop.setTemplate).not.toHaveBeenCalled();
    await call('setTemplate', DASHBOARD, { source: 'upstream {}' });
    expect(engine.loop.setTemplate).toHaveBeenCalledWith('upstream {}', 'edited.ctmpl');

    expect(await call('openExternal', DASHBOARD, { target: 'https://evil.example' })).toEqual({
      error: {
        code: 'bad-request',
        message:
          'openExternal: target must be "lb" or "consul-ui"; got "https://evil.example". Nothing was changed.',
      },
    });
    expect(await call('openExternal', DASHBOARD, { target: 'consul-ui' })).toEqual({ result: null });
    expect(openUrl).toHaveBeenCalledExactlyOnceWith('http://127.0.0.1:8500/ui/');

    expect(await call('getStatus', DASHBOARD, 'surprise')).toEqual({
      error: {
        code: 'bad-request',
        message: 'getStatus: takes no arguments; got "surprise". Nothing was changed.',
      },
    });
    expect(await call('getStatus', DASHBOARD, undefined, 'more')).toEqual({
      error: { code: 'bad-request', message: 'getStatus takes one argument at most; got 2.' },
    });
  });

  it('turn engine errors into {error}: user errors keep their code, others say the engine failed', async () => {
    const { engine, call } = await setup();
    engine.scaler.scale.mockRejectedValueOnce(
      new UserError('Port 8080 is in use; choose another.', 'port-in-use'),
    );
    expect(await call('scale', DASHBOARD, { service: 'web', count: 2 })).toEqual({
      error: { code: 'port-in-use', message: 'Port 8080 is in use; choose another.' },
    });
    engine.stop.mockRejectedValueOnce(new Error('socket hang up'));
    expect(await call('stopDemo', DASHBOARD)).toEqual({
      error: { code: 'internal', message: 'The engine failed: socket hang up' },
    });
    expect(await call('getStatus', DASHBOARD)).toMatchObject({ result: { state: 'stopped' } });
  });
});
