import { describe, expect, it } from 'vitest';
import { OpGate } from '../../main/engine/registrator/op-gate.js';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every pending promise callback and timer of this turn run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('OpGate', () => {
  it('runs work for the same key in order, one at a time', async () => {
    const gate = new OpGate();
    const log: string[] = [];
    const first = deferred();
    const a = gate.forKey('c1', async () => {
      log.push('stop:start');
      await first.promise;
      log.push('stop:end');
    });
    const b = gate.forKey('c1', async () => {
      log.push('start:start');
      await Promise.resolve();
      log.push('start:end');
    });
    await settle();
    expect(log).toEqual(['stop:start']);
    first.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(['stop:start', 'stop:end', 'start:start', 'start:end']);
  });

  it('keeps going for a key after a failure, and reports the failure to its caller', async () => {
    const gate = new OpGate();
    const failing = gate.forKey('c1', () => Promise.reject(new Error('boom')));
    let ran = false;
    const next = gate.forKey('c1', async () => {
      ran = true;
      await Promise.resolve();
    });
    await expect(failing).rejects.toThrow('boom');
    await next;
    expect(ran).toBe(true);
  });

  it('runs work for different keys concurrently', async () => {
    const gate = new OpGate();
    const blocker = deferred();
    const log: string[] = [];
    const a = gate.forKey('c1', async () => {
      log.push('c1:start');
      await blocker.promise;
      log.push('c1:end');
    });
    const b = gate.forKey('c2', async () => {
      log.push('c2:start');
      await Promise.resolve();
      log.push('c2:end');
    });
    await b;
    expect(log).toEqual(['c1:start', 'c2:start', 'c2:end']);
    blocker.resolve();
    await a;
    expect(log).toEqual(['c1:start', 'c2:start', 'c2:end', 'c1:end']);
  });

  it('`alone` waits for running work and holds new work back until it is done', async () => {
    const gate = new OpGate();
    const log: string[] = [];
    const running = deferred();
    const resync = deferred();
    const a = gate.forKey('c1', async () => {
      log.push('c1:start');
      await running.promise;
      log.push('c1:end');
    });
    await settle();
    const exclusive = gate.alone(async () => {
      log.push('resync:start');
      await resync.promise;
      log.push('resync:end');
      return 42;
    });
    const b = gate.forKey('c2', async () => {
      log.push('c2:start');
      await Promise.resolve();
      log.push('c2:end');
    });
    await settle();
    expect(log).toEqual(['c1:start']);

    running.resolve();
    await a;
    await settle();
    expect(log).toEqual(['c1:start', 'c1:end', 'resync:start']);

    resync.resolve();
    await expect(exclusive).resolves.toBe(42);
    await b;
    expect(log).toEqual(['c1:start', 'c1:end', 'resync:start', 'resync:end', 'c2:start', 'c2:end']);
  });

  it('`alone` runs at once when nothing is running', async () => {
    const gate = new OpGate();
    await expect(gate.alone(() => Promise.resolve('done'))).resolves.toBe('done');
  });

  it('`alone` releases the gate when its work fails', async () => {
    const gate = new OpGate();
    await expect(gate.alone(() => Promise.reject(new Error('resync failed')))).rejects.toThrow(
      'resync failed',
    );
    let ran = false;
    await gate.forKey('c1', async () => {
      ran = true;
      await Promise.resolve();
    });
    expect(ran).toBe(true);
  });

  it('two `alone` calls do not overlap', async () => {
    const gate = new OpGate();
    const log: string[] = [];
    const first = deferred();
    const one = gate.alone(async () => {
      log.push('one:start');
      await first.promise;
      log.push('one:end');
    });
    const two = gate.alone(async () => {
      log.push('two:start');
      await Promise.resolve();
      log.push('two:end');
    });
    await settle();
    expect(log).toEqual(['one:start']);
    first.resolve();
    await Promise.all([one, two]);
    expect(log).toEqual(['one:start', 'one:end', 'two:start', 'two:end']);
  });

  it('idle() resolves once all queued work has finished', async () => {
    const gate = new OpGate();
    const blocker = deferred();
    const done: string[] = [];
    void gate.forKey('c1', async () => {
      await blocker.promise;
      done.push('c1a');
    });
    void gate.forKey('c1', async () => {
      await Promise.resolve();
      done.push('c1b');
    });
    void gate.forKey('c2', async () => {
      await Promise.resolve();
      done.push('c2');
    });
    let idle = false;
    const waiting = gate.idle().then(() => {
      idle = true;
    });
    await settle();
    expect(idle).toBe(false);
    expect(done).toEqual(['c2']);
    blocker.resolve();
    await waiting;
    expect(done).toEqual(['c2', 'c1a', 'c1b']);
  });

  it('idle() resolves at once on an unused gate', async () => {
    await expect(new OpGate().idle()).resolves.toBeUndefined();
  });
});
