/**
 * The template picker's state: the built-ins, the kept versions and which one is live, read
 * with getTemplateHistory and changed with selectTemplate / restoreTemplate (the engine keeps
 * them in the state folder). After a change the live text and the status are read again, so
 * the editor and the config view show what now renders.
 */
import { reactive } from 'vue';
import type { ApiError, BuiltinTemplateName, TemplateHistoryView } from '../../../contract/index';
import type { DashboardStore } from './store';
import { templateDiff, type DiffLine } from './template-diff';

/** A kept version shown in the picker, against the live text. */
export interface TemplatePreview {
  id: number;
  label: string;
  lines: DiffLine[];
  /** The version's text is the live one. */
  same: boolean;
}

export interface TemplateHistoryState {
  history: TemplateHistoryView | undefined;
  preview: TemplatePreview | undefined;
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
  /** Reads a kept version's text and shows it against the live text; the same id again hides it. */
  togglePreview(id: number): Promise<void>;
}

export function useTemplateHistory(store: DashboardStore): TemplateHistory {
  const state = reactive<TemplateHistoryState>({
    history: undefined,
    preview: undefined,
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

  async function togglePreview(id: number): Promise<void> {
    if (state.preview?.id === id) {
      state.preview = undefined;
      return;
    }
    state.error = undefined;
    const reply = await store.api.getTemplateVersion({ id });
    if ('error' in reply) {
      state.error = reply.error;
      return;
    }
    const live = store.state.template?.source ?? '';
    const { label, source } = reply.result;
    state.preview = { id, label, lines: templateDiff(live, source), same: source === live };
  }

  return {
    state,
    load,
    togglePreview,
    select: (name) => change(() => store.api.selectTemplate({ name }), 'selected'),
    restore: (id) => change(() => store.api.restoreTemplate({ id }), 'restored'),
  };
}
