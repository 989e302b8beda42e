import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import App from '../../renderer/src/App.vue';
import SettingsView from '../../renderer/src/components/SettingsView.vue';
import { createApiStub, engineStatus } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

// chart.js cannot draw in jsdom (as in app.test.ts).
vi.mock('../../renderer/src/charts/line-chart', () => ({
  createLineChart: (_c: HTMLCanvasElement, config: { data: unknown; options: unknown }) => ({
    data: config.data,
    options: config.options,
    update: vi.fn(),
    destroy: vi.fn(),
  }),
}));

describe('the settings view', () => {
  it('shows the saved settings, sends only what was edited, and says it applied', async () => {
    const api = createApiStub();
    const { wrapper } = await mountWithStore(SettingsView, api);
    const lbPort = wrapper.find<HTMLInputElement>('[data-test="lbPort"]');
    expect(lbPort.element.value).toBe('8080');
    expect(wrapper.find('[data-test="settings-apply"]').attributes('disabled')).toBeDefined();
    await lbPort.setValue('9090');
    await wrapper.find('[data-test="openAtLogin"]').setValue(true);
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(api.updateSettings).toHaveBeenCalledExactlyOnceWith({ lbPort: 9090, openAtLogin: true });
    expect(wrapper.find('[data-test="settings-applied"]').text()).toBe('Saved and applied.');
  });

  it("shows the server's validation message, and shows your own Consul's fields only when chosen", async () => {
    const api = createApiStub();
    api.updateSettings.mockResolvedValue({
      error: {
        code: 'bad-request',
        message: 'updateSettings: lbImage must be a Docker image reference such as nginx:alpine',
      },
    });
    const { wrapper } = await mountWithStore(SettingsView, api);
    expect(wrapper.find('[data-test="consulAddress"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="consulCaFile"]').exists()).toBe(false);
    await wrapper.find('[data-test="consul-own"]').setValue(true);
    expect(wrapper.find('[data-test="consulAddress"]').exists()).toBe(true);
    // The address field says it takes a comma list with optional http(s)://, and the CA file is offered.
    expect(wrapper.text()).toContain('Addresses (HOST:PORT or http(s)://HOST:PORT, comma-separated)');
    expect(wrapper.find('[data-test="consulCaFile"]').exists()).toBe(true);
    await wrapper.find('[data-test="lbImage"]').setValue('Nginx Latest');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test="settings-error"]').text()).toContain(
      'lbImage must be a Docker image reference',
    );
    expect(wrapper.find('[data-test="settings-applied"]').exists()).toBe(false);
  });

  it('offers the next free port from a port-in-use error and takes it in one click', async () => {
    const api = createApiStub();
    api.updateSettings.mockResolvedValueOnce({
      error: {
        code: 'port-in-use',
        message: 'Port 9090 on 127.0.0.1 is already in use … Port 9091 is free',
        offer: { setting: 'lbPort', port: 9090, freePort: 9091 },
      },
    });
    const { wrapper } = await mountWithStore(SettingsView, api);
    await wrapper.find('[data-test="lbPort"]').setValue('9090');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-test="port-offer"]').text()).toContain('Port 9090 is in use.');
    await wrapper.find('[data-test="use-free-port"]').trigger('click');
    await flushPromises();
    expect(api.updateSettings).toHaveBeenLastCalledWith({ lbPort: 9091 });
    expect(wrapper.find<HTMLInputElement>('[data-test="lbPort"]').element.value).toBe('9091');
    expect(wrapper.find('[data-test="port-offer"]').exists()).toBe(false);
  });

  it('offers the free port when the start itself failed on a taken port', async () => {
    const status = {
      ...engineStatus({ state: 'stopped' }),
      portInUse: { setting: 'consulPort' as const, port: 8500, freePort: 8501 },
    };
    const api = createApiStub({ status });
    const { wrapper } = await mountWithStore(SettingsView, api);
    expect(wrapper.find('[data-test="use-free-port"]').text()).toBe('Use port 8501');
    await wrapper.find('[data-test="use-free-port"]').trigger('click');
    await flushPromises();
    expect(api.updateSettings).toHaveBeenLastCalledWith({ consulPort: 8501 });
  });

  it("is reached from the header, and #settings opens it (the tray's Settings…)", async () => {
    const { wrapper } = await mountWithStore(App, createApiStub());
    expect(wrapper.find('[data-test="settings-view"]').exists()).toBe(false);
    await wrapper.find('[data-test="open-settings"]').trigger('click');
    expect(wrapper.find('[data-test="settings-view"]').exists()).toBe(true);
    expect(location.hash).toBe('#settings');
    await wrapper.find('[data-test="settings-back"]').trigger('click');
    expect(wrapper.find('[data-test="settings-view"]').exists()).toBe(false);
    location.hash = '#settings';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await flushPromises();
    expect(wrapper.find('[data-test="settings-view"]').exists()).toBe(true);
    history.replaceState(null, '', location.pathname);
    wrapper.unmount();
  });
});
