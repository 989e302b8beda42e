import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Component } from 'vue';
import type { DiscoveryTrayApi, Locale, Translate } from '../../contract/index';
import { createDashboardI18n, type DashboardI18n } from '../../renderer/src/i18n/dashboard-i18n';
import { followLanguage } from '../../renderer/src/i18n/follow-language';
import { createStore, type DashboardStore } from '../../renderer/src/state/store';
import { STORE_KEY } from '../../renderer/src/state/use-store';

/**
 * Mounts a view with a started store over the given API, as main.ts does: the page's language
 * follows the settings, and "system" is `systemLanguages` (English unless a test says otherwise).
 */
export async function mountWithStore(
  component: Component,
  api: DiscoveryTrayApi,
  systemLanguages: readonly string[] = ['en-US'],
): Promise<{ wrapper: VueWrapper; store: DashboardStore; i18n: DashboardI18n }> {
  const store = createStore(api);
  const i18n = createDashboardI18n();
  followLanguage(store.state, i18n, systemLanguages, document.documentElement);
  const wrapper = mount(component, {
    global: { plugins: [i18n], provide: { [STORE_KEY as symbol]: store } },
    attachTo: document.body,
  }) as VueWrapper;
  await store.start();
  await flushPromises();
  return { wrapper, store, i18n };
}

/** The dashboard's own translator for a locale, for pure helpers (status messages). */
export function textIn(locale: Locale): Translate {
  return createDashboardI18n(locale).t;
}
