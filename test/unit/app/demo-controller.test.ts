import { describe, expect, it } from 'vitest';
import { UserError } from '../../../main/engine/errors.js';
import { DemoController } from '../../../main/app/demo-controller.js';
import { FakeEngine, readyStatus } from './fixtures.js';

describe('the demo controller', () => {
  it('starts the engine, reports the phases, and forwards scaling once ready', async () => {
    const engine = new FakeEngine();
    const demo = new DemoController(engine);
    const phases: string[] = [];
    demo.onChange(() => phases.push(demo.view().phase));
    await expect(demo.scale({ service: 'web', count: 2 })).rejects.toThrow(/not running/);
    expect(demo.view().status.state).toBe('stopped');
    const status = await demo.startDemo();
    expect(status.state).toBe('ready');
    expect(phases).toEqual(['starting', 'ready']);
    await demo.scale({ service: 'web', count: 2 });
    expect(engine.scale).toHaveBeenCalledWith('web', 2);
    await demo.startDemo(); // already running: no second start
    expect(engine.start).toHaveBeenCalledOnce();
  });

  it('keeps why a start failed, shows it in the status, and can start again', async () => {
    const engine = new FakeEngine();
    engine.start.mockRejectedValueOnce(
      new UserError('No Docker engine answers at /var/run/docker.sock.', 'docker-unavailable'),
    );
    const demo = new DemoController(engine);
    await expect(demo.startDemo()).rejects.toThrow('The demo did not start: No Docker engine answers');
    const failed = demo.view();
    expect(failed.phase).toBe('failed');
    expect(failed.startError).toBe('No Docker engine answers at /var/run/docker.sock.');
    expect(failed.status.state).toBe('stopped');
    expect(failed.status.warnings[0]?.message).toBe(
      'The demo did not start: No Docker engine answers at /var/run/docker.sock.',
    );
    await demo.startDemo();
    expect(demo.view()).toMatchObject({ phase: 'ready' });
    expect(demo.view().startError).toBeUndefined();
  });

  it('refuses to start when the pre-start check fails (e.g. another engine runs)', async () => {
    const engine = new FakeEngine();
    const demo = new DemoController(engine, {
      beforeStart: () =>
        Promise.reject(new UserError('Another Discovery Tray engine is running.', 'engine-running')),
    });
    await expect(demo.startDemo()).rejects.toThrow('Another Discovery Tray engine is running.');
    expect(engine.start).not.toHaveBeenCalled();
  });

  it('stop demo removes the stack; shutdown removes it only when asked; a stop waits for a start', async () => {
    const engine = new FakeEngine();
    const demo = new DemoController(engine);
    await demo.startDemo();
    await demo.stopDemo();
    expect(engine.stop).toHaveBeenLastCalledWith({ down: true });
    expect(demo.view().phase).toBe('stopped');

    const starting = demo.startDemo();
    const quitting = demo.shutdown({ down: false });
    await Promise.all([starting, quitting]);
    expect(engine.start).toHaveBeenCalledTimes(2);
    expect(engine.stop).toHaveBeenLastCalledWith({ down: false });
    expect(demo.view().phase).toBe('stopped');
  });

  it('overlays starting/stopping on the engine status and forwards changes', async () => {
    const engine = new FakeEngine();
    const demo = new DemoController(engine, { stopDemoOnQuit: () => true });
    await demo.startDemo();
    let changes = 0;
    demo.onChange(() => changes++);
    engine.change(readyStatus(4));
    expect(changes).toBe(1);
    expect(demo.view()).toMatchObject({ phase: 'ready', stopDemoOnQuit: true, status: { state: 'ready' } });
    expect(demo.view().traffic).toBeUndefined();
    expect(demo.hitsAvailable()).toBe(false);
  });
});
