import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import BackendsTable from '../../renderer/src/components/BackendsTable.vue';
import {
  backendHits,
  createApiStub,
  engineStatus,
  hitsSnapshot,
  instance,
} from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

describe('Backends', () => {
  it('shows one row per registered instance with id, address, health, hits/s and share', async () => {
    const api = createApiStub({
      status: engineStatus({}, [instance(1), instance(2), instance(3)]),
      hits: hitsSnapshot(Date.now(), [
        backendHits('172.18.0.5:80', [7], { share: 0.5 }),
        backendHits('172.18.0.6:80', [4], { share: 0.25 }),
        backendHits('172.18.0.7:80', [4], { share: 0.25 }),
      ]),
    });
    const { wrapper } = await mountWithStore(BackendsTable, api);
    const rows = wrapper.findAll('[data-test="backend-row"]');
    expect(rows).toHaveLength(3);
    const cells = rows[0]!.findAll('td').map((td) => td.text());
    expect(cells[0]).toBe('dt-web-1');
    expect(cells[1]).toBe('host:dt-web-1:80');
    expect(cells[2]).toBe('172.18.0.5:80');
    expect(cells[3]).toBe('serving');
    // A wall-clock time with seconds, in the page's locale (en-US here).
    expect(cells[4]).toMatch(/^\d{1,2}:\d\d:\d\d [AP]M$/);
    expect(cells[5]).toBe('7');
    expect(cells[6]).toContain('50%');
    expect(wrapper.text()).toContain('3 registered');
  });

  it('marks instances that are starting or draining', async () => {
    const api = createApiStub({
      status: engineStatus({}, [
        instance(1),
        instance(2, { state: 'starting' }),
        instance(3, { state: 'draining', address: '', port: 0, registeredAt: 0 }),
      ]),
    });
    const { wrapper } = await mountWithStore(BackendsTable, api);
    const rows = wrapper.findAll('[data-test="backend-row"]');
    expect(rows.map((r) => r.attributes('data-state'))).toEqual(['serving', 'starting', 'draining']);
    expect(rows[1]!.find('.badge').text()).toBe('starting');
    expect(rows[1]!.find('.badge').attributes('title')).toContain('not yet in the live nginx config');
    expect(rows[2]!.find('.badge').text()).toBe('draining');
    // A draining container is deregistered already: no address, no registration time, said plainly.
    expect(rows[2]!.findAll('td')[2]!.text()).toBe('—');
  });

  it('follows status pushes and says so when nothing is registered', async () => {
    const api = createApiStub({ status: engineStatus({}, [instance(1)]) });
    const { wrapper } = await mountWithStore(BackendsTable, api);
    expect(wrapper.findAll('[data-test="backend-row"]')).toHaveLength(1);
    api.pushStatus(engineStatus({}, []));
    await flushPromises();
    expect(wrapper.findAll('[data-test="backend-row"]')).toHaveLength(0);
    expect(wrapper.find('[data-test="backends-empty"]').text()).toContain('Scale web to 1 or more');
  });
});
