import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../../../main/engine/errors.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { FakeRuntime, readyStatus } from '../app/fixtures.js';

describe('the application service', () => {
  it('starts the engine, reports the phases, and scales once ready', async () => {
    const engine = new FakeRuntime();
    const service = new DiscoveryService(engine);
    const phases: string[] = [];
    service.changed.on(() => phases.push(service.view().phase));
    await expect(service.call('scale', { service: 'web', count: 2 })).rejects.toMatchObject({
      code: 'not-ready',
      message: expect.stringContaining('not running') as string,
    });
    expect(service.getStatus().state).toBe('stopped');
    const status = await service.startDemo();
    expect(status.state).toBe('ready');
    expect(phases).toEqual(['starting', 'ready']);
    await service.call('scale', { service: 'web', count: 2 });
    expect(engine.scaler.scale).toHaveBeenCalledWith('web', 2, undefined);
    await service.startDemo(); // already running: no second start
    expect(engine.start).toHaveBeenCalledOnce();
  });

  it('validates what callers inside the process send, as a transport would', async () => {
    const engine = new FakeRuntime();
    const service = new DiscoveryService(engine);
    await service.startDemo();
    await expect(service.call('scale', { service: 'web', count: 2.5 })).rejects.toMatchObject({
      code: 'bad-request',
    });
    expect(engine.scaler.scale).not.toHaveBeenCalled();
  });

  it('keeps why a start failed, with its code, shows it in the status, and can start again', async () => {
    const engine = new FakeRuntime();
    engine.start.mockRejectedValueOnce(
      new UserError('No Docker engine answers at /var/run/docker.sock.', 'docker-unavailable'),
    );
    const service = new DiscoveryService(engine);
    await expect(service.startDemo()).rejects.toMatchObject({
      code: 'docker-unavailable',
      message: 'The demo did not start: No Docker engine answers at /var/run/docker.sock.',
    });
    const failed = service.view();
    expect(failed.phase).toBe('failed');
    expect(failed.startError).toBe('No Docker engine answers at /var/run/docker.sock.');
    expect(failed.status.state).toBe('stopped');
    expect(failed.status.warnings[0]?.message).toBe(
      'The demo did not start: No Docker engine answers at /var/run/docker.sock.',
    );
    // Whatever the failed start left running is stopped.
    expect(engine.stop).toHaveBeenCalledOnce();
    await service.startDemo();
    expect(service.view()).toMatchObject({ phase: 'ready' });
    expect(service.view().startError).toBeUndefined();
  });

  it('refuses to start when the host’s pre-start check fails (e.g. another engine runs)', async () => {
    const engine = new FakeRuntime();
    const service = new DiscoveryService(engine, {
      beforeStart: () =>
        Promise.reject(new UserError('Another Discovery Tray engine is running.', 'engine-running')),
    });
    await expect(service.startDemo()).rejects.toMatchObject({ code: 'engine-running' });
    expect(engine.start).not.toHaveBeenCalled();
  });

  it('stopDemo removes the stack and waits for startDemo; stopEngine keeps it unless asked; a stop waits for a start', async () => {
    const engine = new FakeRuntime();
    const service = new DiscoveryService(engine);
    await service.startDemo();
    const stopped = await service.stopDemo();
    expect(engine.stop).toHaveBeenLastCalledWith({ down: true });
    expect(stopped.state).toBe('stopped');
    expect(service.view().phase).toBe('stopped');

    const starting = service.startDemo();
    const quitting = service.stopEngine({ down: false });
    await Promise.all([starting, quitting]);
    expect(engine.start).toHaveBeenCalledTimes(2);
    expect(engine.stop).toHaveBeenLastCalledWith({ down: false });
    expect(service.view().phase).toBe('stopped');
  });

  it('down removes the stack, stops following it and tells the host; shutdown tells the host', async () => {
    const engine = new FakeRuntime();
    const onDown = vi.fn();
    const onShutdown = vi.fn();
    const service = new DiscoveryService(engine, { onDown, onShutdown });
    await service.startDemo();
    expect(await service.down()).toEqual({ removed: 3 });
    expect(engine.removeStack).toHaveBeenCalledOnce();
    expect(engine.stop).toHaveBeenCalledWith({ down: false });
    expect(service.view().phase).toBe('stopped');
    // After the reply has gone out.
    expect(onDown).not.toHaveBeenCalled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(onDown).toHaveBeenCalledOnce();
    expect(service.shutdown()).toEqual({ stopping: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(onShutdown).toHaveBeenCalledOnce();
  });

  it('overlays starting/stopping on the engine status, adds the dashboard URL, and forwards changes', async () => {
    const engine = new FakeRuntime();
    const service = new DiscoveryService(engine);
    await service.startDemo();
    let changes = 0;
    service.changed.on(() => changes++);
    engine.change(readyStatus(4));
    expect(changes).toBe(1);
    expect(service.view()).toMatchObject({
      phase: 'ready',
      status: { state: 'ready' },
      traffic: { running: false },
    });
    service.setDashboardUrl('http://127.0.0.1:7000/#token=t');
    expect(service.getStatus().dashboard).toEqual({ url: 'http://127.0.0.1:7000/#token=t' });
    expect(changes).toBe(2);
  });

  it('opens only the LB and the Consul UI on this machine, and only where the host can open a browser', async () => {
    const engine = new FakeRuntime();
    await expect(new DiscoveryService(engine).openExternal({ target: 'lb' })).rejects.toMatchObject({
      code: 'not-available',
    });
    const openUrl = vi.fn(() => Promise.resolve());
    const service = new DiscoveryService(engine, { openUrl });
    await service.startDemo();
    await service.openExternal({ target: 'lb' });
    expect(openUrl).toHaveBeenCalledWith('http://127.0.0.1:8080');
    engine.change(
      readyStatus(1, {
        consul: {
          connected: true,
          url: 'http://10.1.2.3:8500',
          uiUrl: 'http://10.1.2.3:8500/ui/',
          managed: false,
        },
      }),
    );
    await expect(service.openExternal({ target: 'consul-ui' })).rejects.toMatchObject({
      code: 'forbidden-url',
    });
    expect(openUrl).toHaveBeenCalledOnce();
  });
});
