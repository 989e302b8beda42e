/**
 * The dashboard does not read the status again after a timeline push (renderer/src/state/store.ts):
 * it relies on the real engine marking its status changed with every timeline event, so that the
 * push hub's flush sends a status, read at the same moment, before the events.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TopicName } from '../../../contract/index.js';
import { Engine } from '../../../main/engine/engine.js';
import { defaultEngineConfig } from '../../../main/engine/engine-config.js';
import { DiscoveryService } from '../../../main/service/discovery-service.js';
import { PushHub } from '../../../main/service/push-hub.js';

afterEach(() => vi.useRealTimers());

describe('a timeline event and the status', () => {
  it('are pushed together, the status first', () => {
    vi.useFakeTimers();
    const engine = new Engine(defaultEngineConfig({}));
    const service = new DiscoveryService(engine);
    const hub = new PushHub(service.feeds(), 1000);
    const sent: TopicName[] = [];
    hub.attach({ send: (topic) => void sent.push(topic) });
    vi.advanceTimersByTime(1000);
    sent.length = 0;
    engine.timeline.record({ kind: 'lb-error', message: 'nginx refused the rendered config' });
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual(['status', 'timeline']);
    hub.close();
  });
});
