import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Component } from 'vue';
import type { DiscoveryTrayApi } from '../../contract/index';
import { createStore, type DashboardStore } from '../../renderer/src/state/store';
import { STORE_KEY } from '../../renderer/src/state/use-store';

/** Mounts a view with a started store over the given API, as main.ts does. */
export async function mountWithStore(
  component: Component,
  api: DiscoveryTrayApi,
): Promise<{ wrapper: VueWrapper; store: DashboardStore }> {
  const store = createStore(api);
  const wrapper = mount(component, {
    global: { provide: { [STORE_KEY as symbol]: store } },
    attachTo: document.body,
  }) as VueWrapper;
  await store.start();
  await flushPromises();
  return { wrapper, store };
}
