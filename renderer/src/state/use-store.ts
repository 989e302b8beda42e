import { inject, type InjectionKey } from 'vue';
import type { DashboardStore } from './store';

export const STORE_KEY: InjectionKey<DashboardStore> = Symbol('dashboard-store');

export function useStore(): DashboardStore {
  const store = inject(STORE_KEY);
  if (!store) throw new Error('The dashboard store was not provided.');
  return store;
}
