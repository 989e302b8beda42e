import { describe, expect, it } from 'vitest';
import ClusterPanel from '../../renderer/src/components/ClusterPanel.vue';
import { createApiStub, engineStatus } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

const consul = {
  connected: true,
  url: 'http://127.0.0.1:8500',
  uiUrl: 'http://127.0.0.1:8500/ui/',
  managed: true,
};

describe('Cluster panel', () => {
  it('is absent while the status has no cluster', async () => {
    const { wrapper } = await mountWithStore(ClusterPanel, createApiStub({ status: engineStatus() }));
    expect(wrapper.find('[data-test="cluster-panel"]').exists()).toBe(false);
  });

  it('lists the members with the leader marked, and the instances by host where they have one', async () => {
    const base = engineStatus();
    const status = engineStatus({
      consul: {
        ...consul,
        cluster: {
          members: [
            { name: 'c-1', address: '172.20.0.2:8300', status: 'alive', role: 'server', leader: false },
            { name: 'c-2', address: '172.20.0.3:8300', status: 'alive', role: 'server', leader: true },
            { name: 'c-3', address: '172.20.0.4:8300', status: 'failed', role: 'server', leader: false },
          ],
          leader: '172.20.0.3:8300',
          peers: 3,
          readAt: 1,
        },
      },
      services: base.services.map((s) => ({
        ...s,
        instances: s.instances.map((i) => ({ ...i, host: 'tcp://10.0.0.7:2376' })),
      })),
    });
    const { wrapper } = await mountWithStore(ClusterPanel, createApiStub({ status }));
    const rows = wrapper.findAll('[data-test="cluster-member"]');
    expect(rows.map((r) => r.attributes('data-member'))).toEqual(['c-1', 'c-2', 'c-3']);
    expect(rows.map((r) => r.find('[data-test="leader-badge"]').exists())).toEqual([false, true, false]);
    expect(rows[2]!.text()).toContain('failed');
    expect(wrapper.find('[data-test="cluster-leader"]').text()).toBe('leader 172.20.0.3:8300');
    const hosts = wrapper.findAll('[data-test="cluster-host"]');
    expect(hosts).toHaveLength(1);
    expect(hosts[0]!.text()).toContain('tcp://10.0.0.7:2376');
    expect(wrapper.find('[data-test="cluster-in-use"]').exists()).toBe(false);
  });

  it("names the address in use when the user's cluster was given as several", async () => {
    const status = engineStatus({
      consul: {
        ...consul,
        managed: false,
        url: 'http://10.0.0.12:8500',
        addresses: ['http://10.0.0.11:8500', 'http://10.0.0.12:8500', 'http://10.0.0.13:8500'],
        cluster: { members: [], leader: '10.0.0.13:8300', peers: 3, readAt: 1 },
      },
    });
    const { wrapper } = await mountWithStore(ClusterPanel, createApiStub({ status }));
    expect(wrapper.find('[data-test="cluster-in-use"]').text()).toBe(
      'the engine uses http://10.0.0.12:8500 (one of 3 addresses given)',
    );
  });
});
