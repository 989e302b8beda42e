import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { EngineStatus, ScaleTargetView } from '../../contract/index';
import ScaleCard from '../../renderer/src/components/ScaleCard.vue';
import ServicesView from '../../renderer/src/components/ServicesView.vue';
import { createApiStub, engineStatus, instance } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

const FIX = 'Set SERVICE_80_NAME=api (or drop it) so both name the same service.';

function composeTarget(changes: Partial<ScaleTargetView> = {}): ScaleTargetView {
  return {
    target: 'shop/api',
    managedBy: 'compose',
    composeProject: 'shop',
    composeService: 'api',
    services: ['api'],
    running: 2,
    min: 1,
    max: 10,
    scalable: true,
    busy: false,
    starting: [],
    draining: [],
    ...changes,
  };
}

/** A status with the demo's web, a Compose service with a warning, and a foreign service with an unreachable instance. */
function mixedStatus(target = composeTarget()): EngineStatus {
  const status = engineStatus({}, [
    instance(1, { managedBy: 'demo', scaleTarget: 'web', inConfig: true, owned: true }),
  ]);
  status.services[0]!.scaleTargets = ['web'];
  status.services[0]!.owned = true;
  status.services[0]!.alsoRegistered = 1;
  status.services.push(
    {
      name: 'api',
      running: 2,
      owned: true,
      scaleTargets: ['shop/api'],
      instances: [
        instance(7, {
          id: 'host:shop-api-1:8080',
          service: 'api',
          containerName: 'shop-api-1',
          port: 8080,
          managedBy: 'compose',
          scaleTarget: 'shop/api',
          inConfig: true,
          health: { consul: 'passing', docker: 'healthy' },
          warnings: [{ message: 'SERVICE_80_NAME and SERVICE_NAME disagree.', fix: FIX }],
        }),
      ],
    },
    {
      name: 'billing',
      running: 0,
      owned: false,
      alsoRegistered: 1,
      instances: [
        instance(9, {
          id: 'other:billing:9000',
          service: 'billing',
          address: '10.9.8.7',
          port: 9000,
          state: 'unreachable',
          unreachableReason: 'no network of this Docker has 10.9.8.7',
          managedBy: 'none',
          owned: false,
          inConfig: false,
          health: { consul: 'critical' },
        }),
      ],
    },
  );
  status.scaleTargets = [
    {
      target: 'web',
      managedBy: 'demo',
      services: ['web'],
      desired: 1,
      running: 1,
      min: 0,
      max: 20,
      scalable: true,
      busy: false,
      starting: [],
      draining: [],
    },
    target,
  ];
  return status;
}

describe('the Services view', () => {
  it('lists every service with its instances, health, config marker and counts', async () => {
    const { wrapper } = await mountWithStore(ServicesView, createApiStub({ status: mixedStatus() }));
    const api = wrapper.find('[data-test="service-api"]');
    expect(api.text()).toContain('172.18.0.11:8080');
    expect(api.find('[data-test="health"]').text()).toBe('Consul: passing · Docker: healthy');
    expect(api.find('[data-test="in-config"]').text()).toBe('in config');
    expect(api.find('[data-test="counts"]').text()).toBe('2 of 2 running');
    const web = wrapper.find('[data-test="service-web"]');
    expect(web.find('[data-test="also-registered"]').text()).toBe('+1 also registered');
    expect(web.find('[data-test="health"]').text()).toBe('no check');
  });

  it('shows a foreign service read-only, with its unreachable reason', async () => {
    const { wrapper } = await mountWithStore(ServicesView, createApiStub({ status: mixedStatus() }));
    const billing = wrapper.find('[data-test="service-billing"]');
    expect(billing.find('[data-test="foreign"]').text()).toBe('registered by others');
    expect(billing.find('[data-test="counts"]').exists()).toBe(false);
    expect(billing.findAll('button')).toHaveLength(0);
    expect(billing.find('[data-test="reason"]').text()).toBe('no network of this Docker has 10.9.8.7');
    expect(billing.find('[data-test="in-config"]').text()).toBe('not in config');
    expect(wrapper.find('[data-test="service-api"] [data-test="foreign"]').exists()).toBe(false);
  });

  it('shows a warning on its row with the one-line fix, and copies the fix', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { wrapper } = await mountWithStore(ServicesView, createApiStub({ status: mixedStatus() }));
    const warning = wrapper.find('[data-test="service-api"] [data-test="warning"]');
    expect(warning.text()).toContain('SERVICE_80_NAME and SERVICE_NAME disagree.');
    expect(warning.find('[data-test="fix"]').text()).toBe(FIX);
    await warning.find('[data-test="copy-fix"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(FIX);
    expect(warning.find('[data-test="copy-fix"]').text()).toBe('Copied');
  });

  it('says so when Consul has no service', async () => {
    const { wrapper } = await mountWithStore(
      ServicesView,
      createApiStub({ status: engineStatus({ services: [] }, []) }),
    );
    expect(wrapper.find('[data-test="services-empty"]').exists()).toBe(true);
  });
});

describe('the scale card picker', () => {
  it('offers each scale target and scales a Compose one through the scale operation, within its min and max', async () => {
    const api = createApiStub({ status: mixedStatus() });
    const { wrapper } = await mountWithStore(ScaleCard, api);
    const picker = wrapper.find('[data-test="scale-target"]');
    expect(picker.findAll('option').map((o) => o.text())).toEqual(['web', 'shop/api']);
    await picker.setValue('shop/api');
    expect(wrapper.find('[data-test="actual"]').text()).toBe('2');
    expect(wrapper.text()).toContain('1 to 10.');
    await wrapper.find('[data-test="target"]').trigger('keydown', { key: 'Home' });
    expect((wrapper.find('[data-test="target"]').element as HTMLInputElement).value).toBe('1');
    await wrapper.find('[data-test="preset-3"]').trigger('click');
    await flushPromises();
    expect(api.scale).toHaveBeenCalledWith({ service: 'shop/api', count: 3 });
  });

  it('shows why a target cannot grow and offers only counts down', async () => {
    const blockedBy = 'shop-api-1 has a fixed host port (8080:8080): remove it to add replicas.';
    const api = createApiStub({ status: mixedStatus(composeTarget({ scalable: false, blockedBy })) });
    const { wrapper } = await mountWithStore(ScaleCard, api);
    await wrapper.find('[data-test="scale-target"]').setValue('shop/api');
    expect(wrapper.find('[data-test="blocked-by"]').text()).toContain(blockedBy);
    expect(wrapper.find('[data-test="plus"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="preset-3"]').attributes('disabled')).toBeDefined();
    await wrapper.find('[data-test="preset-1"]').trigger('click');
    await flushPromises();
    expect(api.scale).toHaveBeenCalledWith({ service: 'shop/api', count: 1 });
  });
});
