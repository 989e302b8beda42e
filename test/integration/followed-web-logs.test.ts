/**
 * A followed host that was lost and is back: its web replicas' logs go on from the last line
 * counted, not from when the engine saw the host answer again. Its registrator's own event stream
 * may reconnect first and put the replicas back in the config, so requests are served there
 * before the host counts as connected; those count too, and none counts twice (real Docker, a
 * simple-web replica with the stack's labels; the host's connection is switched by the test).
 */
import type Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FollowedWebLogs,
  type WebLogHost,
  type WebLogHosts,
} from '../../main/engine/hits/followed-web-logs.js';
import { ROLE_LABEL, STACK_LABEL } from '../../main/engine/stack/stack-config.js';
import { TestResources, docker, uniqueName } from '../support/docker-fixtures.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

/** One host whose connection the test switches, as followed-hosts.ts does on ping answers. */
class SwitchedHost implements WebLogHost, WebLogHosts {
  readonly name = 'second';
  private connected = true;
  private readonly listeners = new Set<() => void>();

  connection(): { docker: Dockerode } | undefined {
    return this.connected ? { docker } : undefined;
  }

  list(): readonly WebLogHost[] {
    return [this];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(connected: boolean): void {
    this.connected = connected;
    for (const listener of this.listeners) listener();
  }
}

const nextSecond = (): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() % 1000)));

describe('hits of a followed host that was lost and is back (real Docker)', () => {
  const resources = new TestResources();
  let logs: FollowedWebLogs | undefined;

  afterAll(async () => {
    await logs?.stop();
    await resources.cleanup();
  });

  it('counts the requests served there before the engine saw the host again', async () => {
    const project = uniqueName('dt-it-fwl');
    const port = await freePort();
    await resources.run({
      labels: { [STACK_LABEL]: project, [ROLE_LABEL]: 'web' },
      exposedPorts: ['80/tcp'],
      publish: { '80/tcp': port },
    });
    const get = async (times: number): Promise<void> => {
      for (let i = 0; i < times; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5000) });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
    };
    const host = new SwitchedHost();
    let hits = 0;
    logs = new FollowedWebLogs(host, project, (hit) => {
      expect(hit.host).toBe('second');
      hits++;
    });
    await logs.start();
    await waitFor('the replica followed', () => logs!.openStreams() === 1 || undefined, {
      timeoutMs: 10_000,
    });
    await waitFor('the replica answering', () => get(1).then(() => true), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    await waitFor('its first hit', () => hits > 0 || undefined, { timeoutMs: 10_000 });
    // A try that timed out while it started may still be answered: counted now, before the base.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const base = hits;
    // Lost in the very second of the last lines counted: the next source replays that second,
    // and must not count them again.
    await nextSecond();
    await get(3);
    await waitFor('3 more hits', () => hits === base + 3 || undefined, { timeoutMs: 10_000 });
    host.set(false);
    expect(logs.openStreams()).toBe(0);
    // Back, and routed to at once, in a later second than the loss; seen answering a second later.
    await nextSecond();
    await get(5);
    await nextSecond();
    host.set(true);
    await waitFor('the replica followed again', () => logs!.openStreams() === 1 || undefined, {
      timeoutMs: 10_000,
    });
    await waitFor('5 more hits', () => hits >= base + 8 || undefined, { timeoutMs: 5000 }).catch(
      () => undefined,
    );
    // And nothing more: none counted twice.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(hits - base).toBe(8);
  }, 60_000);
});
