import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ScaleCard from '../../renderer/src/components/ScaleCard.vue';
import { createApiStub, engineStatus, instance } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

describe('Scale', () => {
  it('shows desired and actual, and scales with the stepper and the apply button', async () => {
    const api = createApiStub();
    const { wrapper } = await mountWithStore(ScaleCard, api);
    expect(wrapper.find('[data-test="desired"]').text()).toBe('1');
    expect(wrapper.find('[data-test="actual"]').text()).toBe('1');
    expect(wrapper.find('[data-test="apply"]').attributes('disabled')).toBeDefined();
    await wrapper.find('[data-test="plus"]').trigger('click');
    await wrapper.find('[data-test="plus"]').trigger('click');
    expect(wrapper.find('[data-test="apply"]').text()).toBe('Scale to 3');
    await wrapper.find('[data-test="apply"]').trigger('click');
    await flushPromises();
    expect(api.scale).toHaveBeenCalledTimes(1);
    expect(api.scale).toHaveBeenCalledWith({ service: 'web', count: 3 });
  });

  it('scales with a preset', async () => {
    const api = createApiStub();
    const { wrapper } = await mountWithStore(ScaleCard, api);
    await wrapper.find('[data-test="preset-5"]').trigger('click');
    await flushPromises();
    expect(api.scale).toHaveBeenCalledWith({ service: 'web', count: 5 });
    expect(wrapper.find('[data-test="preset-1"]').attributes('aria-pressed')).toBe('true');
  });

  it('is operable from the keyboard: arrows change the number, Enter applies', async () => {
    const api = createApiStub();
    const { wrapper } = await mountWithStore(ScaleCard, api);
    const input = wrapper.find('[data-test="target"]');
    await input.trigger('keydown', { key: 'ArrowUp' });
    await input.trigger('keydown', { key: 'ArrowUp' });
    await input.trigger('keydown', { key: 'ArrowUp' });
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect((input.element as HTMLInputElement).value).toBe('3');
    await input.trigger('keydown', { key: 'End' });
    expect((input.element as HTMLInputElement).value).toBe('20');
    await input.trigger('keydown', { key: 'PageUp' });
    expect((input.element as HTMLInputElement).value).toBe('20');
    await input.trigger('keydown', { key: 'Home' });
    expect((input.element as HTMLInputElement).value).toBe('0');
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect((input.element as HTMLInputElement).value).toBe('0');
    await input.trigger('keydown', { key: 'ArrowRight' });
    await input.trigger('keydown', { key: 'ArrowRight' });
    await input.trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(api.scale).toHaveBeenCalledWith({ service: 'web', count: 2 });
    // Every control is a native button or input: reachable with Tab, Enter/Space activate.
    for (const el of wrapper.findAll('button, input'))
      expect(['BUTTON', 'INPUT']).toContain(el.element.tagName);
  });

  it('is disabled while the engine starts and while scaling is busy, and says why', async () => {
    const api = createApiStub({ status: engineStatus({ state: 'starting' }, []) });
    const { wrapper } = await mountWithStore(ScaleCard, api);
    expect(wrapper.find('[data-test="plus"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="preset-3"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="target"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('The engine is starting.');

    const busy = engineStatus({}, [instance(1), instance(2, { state: 'starting' })]);
    busy.scaling = {
      service: 'web',
      desired: 3,
      starting: ['dt-web-2', 'dt-web-3'],
      draining: [],
      busy: true,
      max: 20,
    };
    busy.services[0]!.desired = 3;
    busy.services[0]!.running = 2;
    api.pushStatus(busy);
    await flushPromises();
    expect(wrapper.find('[data-test="preset-1"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('Scaling in progress');
    expect(wrapper.find('[data-test="progress"]').text()).toBe('2 of 3 running · 2 starting');
    expect(wrapper.find('progress').attributes('value')).toBe('2');
    expect(wrapper.text()).toContain('dt-web-2, dt-web-3');
    await wrapper.find('[data-test="preset-1"]').trigger('click');
    await wrapper.find('[data-test="target"]').trigger('keydown', { key: 'Enter' });
    expect(api.scale).not.toHaveBeenCalled();

    const draining = engineStatus({}, [instance(1), instance(2, { state: 'draining' })]);
    draining.scaling = {
      service: 'web',
      desired: 1,
      starting: [],
      draining: ['dt-web-2'],
      busy: true,
      max: 20,
    };
    api.pushStatus(draining);
    await flushPromises();
    expect(wrapper.find('[data-test="progress"]').text()).toContain('1 draining');
  });

  it('is disabled while its own request is in flight', async () => {
    const api = createApiStub();
    let release: () => void = () => undefined;
    api.scale.mockImplementationOnce(
      (req: { service: string; count: number }) =>
        new Promise((resolve) => {
          release = () =>
            resolve({
              result: { service: 'web', desired: req.count, running: 1, superseded: false, warnings: [] },
            });
        }),
    );
    const { wrapper } = await mountWithStore(ScaleCard, api);
    await wrapper.find('[data-test="preset-3"]').trigger('click');
    expect(wrapper.find('[data-test="preset-5"]').attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('Scaling to 3…');
    release();
    await flushPromises();
    expect(wrapper.find('[data-test="preset-5"]').attributes('disabled')).toBeUndefined();
  });

  it('shows the error the API returns', async () => {
    const api = createApiStub();
    api.scale.mockResolvedValueOnce({
      error: { message: 'web can run at most 20 containers.', code: 'bad-request' },
    });
    const { wrapper } = await mountWithStore(ScaleCard, api);
    await wrapper.find('[data-test="preset-3"]').trigger('click');
    await flushPromises();
    const error = wrapper.find('[data-test="scale-error"]');
    expect(error.text()).toBe('web can run at most 20 containers.');
    expect(error.attributes('role')).toBe('alert');
  });

  it('offers a host for new web replicas only with several Docker engines, and sends it with the scale', async () => {
    const one = await mountWithStore(ScaleCard, createApiStub());
    expect(one.wrapper.find('[data-test="scale-host"]').exists()).toBe(false);

    const api = createApiStub({
      status: engineStatus({
        dockerHosts: [
          { name: 'local', endpoint: 'unix:///var/run/docker.sock', state: 'connected', local: true },
          {
            name: 'lab2',
            endpoint: 'tcp://10.1.2.3:2375',
            address: '10.1.2.3',
            state: 'connected',
            local: false,
          },
          { name: 'lab3', endpoint: 'tcp://10.1.2.4:2375', address: '10.1.2.4', state: 'lost', local: false },
        ],
      }),
    });
    const { wrapper } = await mountWithStore(ScaleCard, api);
    const picker = wrapper.find('[data-test="scale-host"]');
    expect(picker.findAll('option').map((o) => [o.text(), o.attributes('disabled') !== undefined])).toEqual([
      ['this machine (as before)', false],
      ['local', false],
      ['lab2', false],
      ['lab3', true],
      ['spread over the hosts', false],
    ]);
    await wrapper.find('[data-test="preset-3"]').trigger('click');
    await flushPromises();
    expect(api.scale).toHaveBeenLastCalledWith({ service: 'web', count: 3 });
    await picker.setValue('lab2');
    await wrapper.find('[data-test="preset-5"]').trigger('click');
    await flushPromises();
    expect(api.scale).toHaveBeenLastCalledWith({ service: 'web', count: 5, host: 'lab2' });
  });
});
