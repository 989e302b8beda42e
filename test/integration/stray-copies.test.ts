/**
 * The sweep of copies an agent leaving the cluster synced back into the catalog, against a real
 * Consul: a node registered straight into the catalog has no serfHealth check, as such a copy's node
 * has. What this engine owns there is removed; a user's entry there, and this engine's entries on a
 * live node (the agent's own, with serfHealth), stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConsulAddress } from '../../main/engine/consul/consul-connection.js';
import { isThisEnginesOwner } from '../../main/engine/consul/left-agents.js';
import { StrayCopies } from '../../main/engine/consul/stray-copies.js';
import { OWNER_META_KEY, ownerId } from '../../main/engine/registrator/ownership.js';
import type { TimelineInput } from '../../main/engine/timeline.js';
import { TestResources } from '../support/docker-fixtures.js';
import { waitFor } from '../support/wait.js';

const HOST = 'stray-test-host';

describe('copies of our registrations on a node without serfHealth (real Consul)', () => {
  const resources = new TestResources();
  let url = '';

  const put = async (path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${url}${path}`, { method: 'PUT', body: JSON.stringify(body) });
    expect(response.ok).toBe(true);
  };
  const entriesOf = async (service: string): Promise<string[]> => {
    const response = await fetch(`${url}/v1/health/service/${service}`);
    const list = (await response.json()) as { Node: { Node: string }; Service: { ID: string } }[];
    return list.map((e) => `${e.Node.Node}/${e.Service.ID}`).sort();
  };

  beforeAll(async () => {
    ({ url } = await resources.consul());
  }, 60_000);

  afterAll(() => resources.cleanup(), 30_000);

  it('removes only what this engine owns on such a node, after two reads that agree', async () => {
    const ours = { [OWNER_META_KEY]: ownerId(HOST) };
    // The copies a leaving agent synced back: its node, without serfHealth.
    for (const [id, meta] of [
      ['web-a', ours],
      ['web-b', { [OWNER_META_KEY]: 'someone-else' }],
    ] as const)
      await put('/v1/catalog/register', {
        Node: 'left-client',
        Address: '10.1.2.3',
        Service: { ID: id, Service: 'web', Address: '10.1.2.3', Port: 80, Meta: meta },
      });
    // The live agent's own registration of ours (its node has serfHealth).
    await put('/v1/agent/service/register', {
      ID: 'web-live',
      Name: 'web',
      Address: '10.1.2.4',
      Port: 80,
      Meta: ours,
    });
    const self = (await (await fetch(`${url}/v1/agent/self`)).json()) as { Config: { NodeName: string } };
    const liveNode = self.Config.NodeName;
    await waitFor('three web entries', async () => (await entriesOf('web')).length === 3 || undefined, {
      timeoutMs: 10_000,
      intervalMs: 100,
    });

    const events: TimelineInput[] = [];
    const sweep = new StrayCopies({
      current: () => parseConsulAddress(url.replace('http://', '')),
      serviceNames: () => new Set(['web']),
      ownsValue: (owner) => isThisEnginesOwner(owner, HOST),
      record: (event) => events.push(event),
    });
    try {
      sweep.moved();
      await waitFor(
        'our copy on the node without serfHealth removed',
        async () => ((await entriesOf('web')).includes('left-client/web-a') ? undefined : true),
        { timeoutMs: 15_000, intervalMs: 200 },
      );
    } finally {
      sweep.stop();
    }
    expect(await entriesOf('web')).toEqual(['left-client/web-b', `${liveNode}/web-live`].sort());
    expect(events.map((e) => e.message).join('\n')).toContain('1 copy(ies)');
    expect(events.map((e) => e.message).join('\n')).toContain('left-client');
  }, 60_000);
});
