import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LIMITS } from '../../../preload/api.js';
import { UserError } from '../../../main/engine/errors.js';
import { electron, resetElectron } from '../../support/electron-double.js';
import type { AppEngine } from '../../../main/app/engine-port.js';
import { fakeAppEngine, FakeEngine } from './fixtures.js';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { registerIpcHandlers } = await import('../../../main/app/ipc.js');
const { INVOKE } = await import('../../../main/app/ipc-channels.js');
const { DemoController } = await import('../../../main/app/demo-controller.js');

const DASHBOARD = { senderFrame: { url: 'app://dashboard/index.html' } };

function setup<E extends AppEngine>(engine: E) {
  const openExternal = vi.fn((_target: string) => Promise.resolve());
  const dispose = registerIpcHandlers(engine, openExternal);
  const call = (channel: string, event: unknown, ...args: unknown[]): Promise<unknown> => {
    const handler = electron.ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args) as Promise<unknown>;
  };
  return { engine, openExternal, dispose, call };
}

beforeEach(() => resetElectron());

describe('IPC handlers', () => {
  it('register one handler per API call, and remove them again', () => {
    const { dispose } = setup(fakeAppEngine());
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(Object.values(INVOKE).sort());
    dispose();
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it.each([
    ['another site', { senderFrame: { url: 'https://evil.example/' } }],
    ['a file page', { senderFrame: { url: 'file:///work/main/renderer/dist/index.html' } }],
    ['a look-alike host', { senderFrame: { url: 'app://dashboard.evil/index.html' } }],
    ['a frame that is gone', { senderFrame: null }],
  ])('refuse a call from %s, without reaching the engine', async (_what, event) => {
    const { engine, call } = setup(fakeAppEngine());
    const reply = await call(INVOKE.scale, event, { service: 'web', count: 2 });
    expect(reply).toEqual({
      error: { code: 'forbidden', message: expect.stringContaining('only the dashboard may call') as string },
    });
    expect(engine.scale).not.toHaveBeenCalled();
  });

  it('forward a good scale request and wrap the answer', async () => {
    const { engine, call } = setup(fakeAppEngine());
    const reply = await call(INVOKE.scale, DASHBOARD, { service: 'web', count: 3, extra: 'ignored' });
    expect(engine.scale).toHaveBeenCalledWith({ service: 'web', count: 3 });
    expect(reply).toEqual({
      result: { service: 'web', count: 3, desired: 3, running: 1, superseded: false, warnings: [] },
    });
  });

  it.each([
    [{ service: 'web', count: 1.5 }, 'count must be a whole number from 0 to 20; got 1.5.'],
    [{ service: 'web', count: -1 }, 'count must be a whole number from 0 to 20; got -1.'],
    [
      { service: 'web', count: LIMITS.maxWebInstances + 1 },
      'count must be a whole number from 0 to 20; got 21.',
    ],
    [{ service: 'web', count: '3' }, 'count must be a whole number from 0 to 20; got "3".'],
    [{ service: 'consul', count: 1 }, 'Only web can be scaled; got "consul".'],
    [{ count: 1 }, 'Only web can be scaled; got undefined.'],
    [null, 'scale needs {service, count}.'],
  ])('refuse scale(%j) with a clear message', async (request, message) => {
    const { engine, call } = setup(fakeAppEngine());
    expect(await call(INVOKE.scale, DASHBOARD, request)).toEqual({ error: { code: 'bad-request', message } });
    expect(engine.scale).not.toHaveBeenCalled();
  });

  it.each([
    [{ ratePerSecond: 0, durationSeconds: 10 }, 'ratePerSecond must be from 1 to 200'],
    [{ ratePerSecond: 201, durationSeconds: 10 }, 'ratePerSecond must be from 1 to 200'],
    [{ ratePerSecond: Number.NaN, durationSeconds: 10 }, 'ratePerSecond must be from 1 to 200'],
    [{ ratePerSecond: 10, durationSeconds: 0 }, 'durationSeconds must be a whole number from 1 to 3600'],
    [{ ratePerSecond: 10, durationSeconds: 3601 }, 'durationSeconds must be a whole number from 1 to 3600'],
    [{ ratePerSecond: 10 }, 'durationSeconds must be a whole number from 1 to 3600'],
  ])('refuse startTraffic(%j)', async (request, message) => {
    const { engine, call } = setup(fakeAppEngine());
    const reply = (await call(INVOKE.startTraffic, DASHBOARD, request)) as { error: { message: string } };
    expect(reply.error.message).toContain(message);
    expect(engine.startTraffic).not.toHaveBeenCalled();
  });

  it('forward a good traffic request', async () => {
    const { engine, call } = setup(fakeAppEngine());
    engine.startTraffic.mockResolvedValue({ running: true, sent: 0, succeeded: 0, failed: 0, byBackend: {} });
    const reply = await call(INVOKE.startTraffic, DASHBOARD, { ratePerSecond: 200, durationSeconds: 1 });
    expect(engine.startTraffic).toHaveBeenCalledWith({ ratePerSecond: 200, durationSeconds: 1 });
    expect(reply).toMatchObject({ result: { running: true } });
  });

  it('check the other arguments: timeline cursor, template text, external target, extra arguments', async () => {
    const { engine, call, openExternal } = setup(fakeAppEngine());
    expect(await call(INVOKE.getTimeline, DASHBOARD, -1)).toMatchObject({ error: { code: 'bad-request' } });
    expect(await call(INVOKE.getTimeline, DASHBOARD)).toEqual({ result: [] });
    expect(engine.timeline).toHaveBeenLastCalledWith(0);
    await call(INVOKE.getTimeline, DASHBOARD, 42);
    expect(engine.timeline).toHaveBeenLastCalledWith(42);

    expect(await call(INVOKE.setTemplate, DASHBOARD, 42)).toMatchObject({ error: { code: 'bad-request' } });
    const tooBig = 'x'.repeat(LIMITS.maxTemplateBytes + 1);
    expect(await call(INVOKE.setTemplate, DASHBOARD, tooBig)).toEqual({
      error: { code: 'bad-request', message: `The template is ${tooBig.length} bytes; the limit is 65536.` },
    });
    expect(engine.setTemplate).not.toHaveBeenCalled();
    await call(INVOKE.setTemplate, DASHBOARD, 'upstream {}');
    expect(engine.setTemplate).toHaveBeenCalledWith('upstream {}');

    expect(await call(INVOKE.openExternal, DASHBOARD, 'https://evil.example')).toEqual({
      error: {
        code: 'bad-request',
        message: 'openExternal opens "lb" or "consul-ui" only; got "https://evil.example".',
      },
    });
    expect(await call(INVOKE.openExternal, DASHBOARD, 'consul-ui')).toEqual({ result: null });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('consul-ui');

    expect(await call(INVOKE.getStatus, DASHBOARD, 'surprise')).toEqual({
      error: { code: 'bad-request', message: 'getStatus takes no arguments; got 1.' },
    });
  });

  it('turn engine errors into {error}: user errors keep their code, others say the engine failed', async () => {
    const { engine, call } = setup(fakeAppEngine());
    engine.startDemo.mockRejectedValueOnce(
      new UserError('Port 8080 is in use; choose another.', 'port-in-use'),
    );
    expect(await call(INVOKE.startDemo, DASHBOARD)).toEqual({
      error: { code: 'port-in-use', message: 'Port 8080 is in use; choose another.' },
    });
    engine.stopDemo.mockRejectedValueOnce(new Error('socket hang up'));
    expect(await call(INVOKE.stopDemo, DASHBOARD)).toEqual({
      error: { code: 'internal', message: 'The engine failed: socket hang up' },
    });
    expect(await call(INVOKE.getStatus, DASHBOARD)).toEqual({ result: engine.current.status });
  });

  it('answer "not available yet" for hits and traffic while the engine has none', async () => {
    const engine = new FakeEngine();
    const { call } = setup(new DemoController(engine));
    for (const channel of [INVOKE.getHits, INVOKE.getTraffic, INVOKE.stopTraffic]) {
      const reply = (await call(channel, DASHBOARD)) as { error: { code: string; message: string } };
      expect(reply.error.code).toBe('not-available');
      expect(reply.error.message).toMatch(/is not available yet/);
    }
  });
});
