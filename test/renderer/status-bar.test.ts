import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import StatusBar from '../../renderer/src/components/StatusBar.vue';
import { statusMessages } from '../../renderer/src/state/status-messages';
import { createApiStub, engineStatus } from '../../renderer/src/test/api-stub';
import { mountWithStore, textIn } from './helpers';

const en = textIn('en');

function pill(wrapper: Awaited<ReturnType<typeof mountWithStore>>['wrapper'], id: string): string {
  return wrapper.find(`[data-pill="${id}"]`).text();
}

describe('Status bar', () => {
  it('shows all green and no message when everything runs', async () => {
    const { wrapper } = await mountWithStore(StatusBar, createApiStub());
    expect(pill(wrapper, 'engine')).toContain('ready');
    expect(pill(wrapper, 'docker')).toContain('20.10.24');
    expect(pill(wrapper, 'consul')).toContain('connected');
    expect(pill(wrapper, 'lb')).toContain('config #2');
    expect(wrapper.findAll('[data-message]')).toHaveLength(0);
  });

  it('says when Docker is down and what to do', async () => {
    const status = engineStatus();
    status.docker = {
      connected: false,
      endpoint: '/var/run/docker.sock',
      error: 'connect ENOENT /var/run/docker.sock',
    };
    const { wrapper } = await mountWithStore(StatusBar, createApiStub({ status }));
    expect(wrapper.find('[data-pill="docker"]').classes()).toContain('pill-error');
    const message = wrapper.find('[data-message="docker-down"]').text();
    expect(message).toContain('Docker is not reachable at /var/run/docker.sock.');
    expect(wrapper.find('[data-message="docker-down"] [lang="en"]').text()).toBe(
      'connect ENOENT /var/run/docker.sock',
    );
    expect(message).toContain('Start Docker');
    expect(message).toContain('DOCKER_HOST');
  });

  it('says when Consul is down and what to do', async () => {
    const status = engineStatus();
    status.consul = { ...status.consul, connected: false, error: 'ECONNREFUSED' };
    const { wrapper } = await mountWithStore(StatusBar, createApiStub({ status }));
    const message = wrapper.find('[data-message="consul-down"]').text();
    expect(message).toContain('Consul does not answer at http://127.0.0.1:8500.');
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('docker ps');
    const own = statusMessages(en, { ...status, consul: { ...status.consul, managed: false } }, 'live');
    expect(own.find((m) => m.id === 'consul-down')?.action).toContain('ACL token');
  });

  it('says when nginx refused a config, and that the last good one serves', async () => {
    const status = engineStatus();
    status.lb.lastError = { at: Date.now(), message: 'unknown directive "bogus"', line: 4 };
    const { wrapper } = await mountWithStore(StatusBar, createApiStub({ status }));
    expect(pill(wrapper, 'lb')).toContain('config refused');
    const message = wrapper.find('[data-message="lb-error"]').text();
    expect(message).toContain('nginx refused the new config (line 4).');
    expect(message).toContain('unknown directive "bogus"');
    expect(message).toContain('last good config keeps serving');
  });

  it('says the engine is starting, and offers to start a stopped demo', async () => {
    const api = createApiStub({ status: engineStatus({ state: 'starting' }, []) });
    const { wrapper } = await mountWithStore(StatusBar, api);
    expect(wrapper.find('[data-message="engine-starting"]').text()).toContain('The engine is starting');
    // Docker/Consul not connected yet while starting is not an error.
    expect(wrapper.find('[data-message="docker-down"]').exists()).toBe(false);
    api.pushStatus(engineStatus({ state: 'stopped' }, []));
    await flushPromises();
    expect(wrapper.find('[data-message="engine-stopped"]').text()).toContain('discovery-tray up');
    const start = wrapper.findAll('button').find((b) => b.text() === 'Start demo');
    await start!.trigger('click');
    await flushPromises();
    expect(api.startDemo).toHaveBeenCalledTimes(1);
  });

  it('says when the engine cannot be reached', async () => {
    const api = createApiStub();
    api.getStatus.mockResolvedValue({
      error: {
        message: 'Cannot reach the engine at http://127.0.0.1:7311 (Failed to fetch).',
        code: 'unreachable',
      },
    });
    const { wrapper } = await mountWithStore(StatusBar, api);
    expect(pill(wrapper, 'engine')).toContain('unreachable');
    const message = wrapper.find('[data-message="unreachable"]').text();
    expect(message).toContain('Cannot reach the engine');
    expect(message).toContain('discovery-tray up');
  });

  it('lists registration warnings', () => {
    const status = engineStatus({
      warnings: [{ container: 'legacy', message: 'SERVICE_80_NAME=http wins over SERVICE_NAME=web' }],
    });
    expect(statusMessages(en, status, 'live').map((m) => [m.text, m.detail])).toEqual([
      ['Warning:', 'legacy: SERVICE_80_NAME=http wins over SERVICE_NAME=web'],
    ]);
  });
});
