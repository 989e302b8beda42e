/**
 * The template picker's state: the built-ins, the kept versions and which one is live, read
 * with getTemplateHistory and changed with selectTemplate / restoreTemplate (the engine keeps
 * them in the state folder). After a change the live text and the status are read again, so
 * the editor and the config view show what now renders.
 */
import { reactive } from 'vue';
import type { ApiError, BuiltinTemplateName, TemplateHistoryView } from '../../../contract/index';
import type { DashboardStore } from './store';

export interface TemplateHistoryState {
  history: TemplateHistoryView | undefined;
  pending: boolean;
  error: ApiError | undefined;
  /** What the last successful action did, for a short "done" line. */
  done: 'selected' | 'restored' | undefined;
}

export interface TemplateHistory {
  readonly state: TemplateHistoryState;
  load(): Promise<void>;
  select(name: BuiltinTemplateName): Promise<boolean>;
  restore(id: number): Promise<boolean>;
}

export function useTemplateHistory(store: DashboardStore): TemplateHistory {
  const state = reactive<TemplateHistoryState>({
    history: undefined,
    pending: false,
    error: undefined,
    done: undefined,
  });

  async function load(): Promise<void> {
    const reply = await store.api.getTemplateHistory();
    if ('result' in reply) state.history = reply.result;
  }

  async function change(
    call: () => ReturnType<DashboardStore['api']['selectTemplate']>,
    done: TemplateHistoryState['done'],
  ): Promise<boolean> {
    state.pending = true;
    state.error = undefined;
    state.done = undefined;
    try {
      const reply = await call();
      if ('error' in reply) {
        state.error = reply.error;
        return false;
      }
      state.history = reply.result;
      state.done = done;
      return true;
    } finally {
      state.pending = false;
      await Promise.all([store.loadTemplate(), store.refreshStatus()]);
    }
  }

  return {
    state,
    load,
    select: (name) => change(() => store.api.selectTemplate({ name }), 'selected'),
    restore: (id) => change(() => store.api.restoreTemplate({ id }), 'restored'),
  };
}
