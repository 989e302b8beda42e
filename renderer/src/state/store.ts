/**
 * The dashboard's one store: what the engine last said (status, hits, traffic, timeline),
 * fed by the API's subscriptions, plus the state of the user's own actions (pending, error).
 * Chart data lives outside Vue's reactivity (ring buffers, markRaw) with a version counter
 * that the chart watches, so a hits push never makes Vue walk 60 × N points.
 */
import { markRaw, reactive } from 'vue';
import type {
  ApiError,
  ApiResult,
  DiscoveryTrayApi,
  EngineStatus,
  HitsSnapshot,
  ImageProgress,
  LanguageChoice,
  ScaleResponse,
  Settings,
  SettingsRequest,
  TemplateView,
  TimelineEvent,
  TrafficRequest,
  TrafficStatus,
} from '../../../contract/index';
import { isConnectionAware, type ConnectionState } from '../api/connection';
import { BackendColors } from './colors';
import { HitsSeries } from './hits-series';

export const MAX_TIMELINE_EVENTS = 500;

export interface ActionState {
  pending: boolean;
  /** The engine's error: its code picks the localized hint, its message is the detail. */
  error: ApiError | undefined;
}

export interface DashboardState {
  status: EngineStatus | undefined;
  hits: HitsSnapshot | undefined;
  traffic: TrafficStatus | undefined;
  timeline: TimelineEvent[];
  template: TemplateView | undefined;
  /** The engine host's settings (shared with the tray and other dashboards), once read. */
  settings: Settings | undefined;
  /** A language chosen on this page that the engine did not save (e.g. a page without the token). */
  languageOverride: LanguageChoice | undefined;
  connection: ConnectionState;
  connectionDetail: string | undefined;
  /** The first status could not be read. */
  loadError: string | undefined;
  scale: ActionState & { target: number | undefined; last: ScaleResponse | undefined };
  trafficAction: ActionState;
  templateAction: ActionState & { applied: boolean };
  demoAction: ActionState;
  settingsAction: ActionState;
  /** Bumped on every hits snapshot; the chart reads `series` when it changes. */
  hitsVersion: number;
  /** The images the engine's last start pulled or built, each with its progress. */
  progress: ImageProgress[];
}

export interface DashboardStore {
  readonly state: DashboardState;
  readonly series: HitsSeries;
  readonly colors: BackendColors;
  readonly api: DiscoveryTrayApi;
  start(): Promise<void>;
  stop(): void;
  refreshStatus(): Promise<void>;
  /** Scales the demo's `web`, or another scale target (`<project>/<service>`); `host` places new web replicas. */
  scale(count: number, target?: string, host?: string): Promise<boolean>;
  startTraffic(request: TrafficRequest): Promise<boolean>;
  stopTraffic(): Promise<boolean>;
  loadTemplate(): Promise<void>;
  setTemplate(source: string): Promise<boolean>;
  startDemo(): Promise<boolean>;
  chooseLanguage(choice: LanguageChoice): Promise<boolean>;
  saveSettings(patch: SettingsRequest): Promise<boolean>;
  openExternal(target: 'lb' | 'consul-ui'): Promise<void>;
}

export function createStore(api: DiscoveryTrayApi): DashboardStore {
  const series = markRaw(new HitsSeries());
  const colors = markRaw(new BackendColors());
  const state = reactive<DashboardState>({
    status: undefined,
    hits: undefined,
    traffic: undefined,
    timeline: [],
    template: undefined,
    settings: undefined,
    languageOverride: undefined,
    connection: 'connecting',
    connectionDetail: undefined,
    loadError: undefined,
    scale: { pending: false, error: undefined, target: undefined, last: undefined },
    trafficAction: { pending: false, error: undefined },
    templateAction: { pending: false, error: undefined, applied: false },
    demoAction: { pending: false, error: undefined },
    settingsAction: { pending: false, error: undefined },
    hitsVersion: 0,
    progress: [],
  });
  const unsubscribers: (() => void)[] = [];

  /*
   * Pushed snapshots are replaced whole, never changed in place: markRaw keeps Vue from wrapping
   * every nested object in a proxy (at 100 backends a status and a hits snapshot are thousands of
   * them, each read tracked on every render). Views still update: they depend on `state.status`
   * and `state.hits` themselves, which a push replaces.
   */
  function setStatus(status: EngineStatus): void {
    state.status = markRaw(status);
    state.loadError = undefined;
  }

  function setHits(hits: HitsSnapshot): void {
    // Colours are handed out in the order backends first appear, so they never shuffle.
    for (const backend of hits.backends) colors.colorOf(backend.address);
    for (const address of hits.recent) colors.colorOf(address);
    state.hits = markRaw(hits);
    if (series.apply(hits)) state.hitsVersion++;
  }

  function addTimeline(events: TimelineEvent[]): void {
    if (events.length === 0) return;
    // Both the initial GET and the stream may carry an event: keep each seq once, in order.
    let lastSeq = state.timeline[state.timeline.length - 1]?.seq ?? 0;
    const fresh: TimelineEvent[] = [];
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq <= lastSeq) continue;
      fresh.push(event);
      lastSeq = event.seq;
    }
    if (fresh.length === 0) return;
    const merged = [...state.timeline, ...fresh];
    /*
     * A new array each time, never changed in place, so markRaw as the snapshots above: the
     * timeline's views walk up to 500 events on every timeline push (chains, engine events), and
     * through Vue's proxies each event and field read was tracked; during a scale step at 100
     * backends that walk alone was a long task.
     */
    state.timeline = markRaw(
      merged.length > MAX_TIMELINE_EVENTS ? merged.slice(-MAX_TIMELINE_EVENTS) : merged,
    );
    /*
     * No status re-read here: every timeline event marks the engine's status changed, and each
     * transport hands us the status before the events (the push hub's flush and attach, and the
     * polling fallback, read the status first). Reading it again after each push was a GET of
     * the whole status per second during a scale step at 100 backends, and a second full render.
     */
  }

  async function refreshStatus(): Promise<void> {
    const reply = await api.getStatus();
    if ('result' in reply) setStatus(reply.result);
    else if (!state.status) state.loadError = reply.error.message;
  }

  async function start(): Promise<void> {
    if (isConnectionAware(api)) {
      unsubscribers.push(
        api.onConnection((connection, detail) => {
          state.connection = connection;
          state.connectionDetail = detail;
        }),
      );
    } else {
      state.connection = 'live';
    }
    unsubscribers.push(
      api.subscribe('status', setStatus),
      api.subscribe('hits', setHits),
      api.subscribe('timeline', addTimeline),
      api.subscribe('traffic', (traffic) => (state.traffic = traffic)),
      api.subscribe('settings', (settings) => (state.settings = settings)),
      api.subscribe('progress', (progress) => (state.progress = progress)),
    );
    const [, hits, traffic, timeline, settings] = await Promise.all([
      refreshStatus(),
      api.getHits(),
      api.getTraffic(),
      api.getTimeline(),
      api.getSettings(),
    ]);
    if ('result' in settings) state.settings = settings.result;
    if ('result' in hits) setHits(hits.result);
    if ('result' in traffic) state.traffic = traffic.result;
    if ('result' in timeline) addTimeline(timeline.result);
    const progress = await api.getProgress();
    if ('result' in progress) state.progress = progress.result;
    await loadTemplate();
  }

  function stop(): void {
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
  }

  /**
   * One user action: marks it pending, clears its last error, calls the engine, keeps the error
   * message or hands the result on, and re-reads the status when the action changes it.
   */
  async function act<T>(
    action: ActionState,
    call: () => Promise<ApiResult<T>>,
    onResult: (result: T) => void,
    refreshAfter: boolean,
  ): Promise<boolean> {
    action.pending = true;
    action.error = undefined;
    try {
      const reply = await call();
      if ('error' in reply) {
        action.error = reply.error;
        return false;
      }
      onResult(reply.result);
      return true;
    } finally {
      action.pending = false;
      if (refreshAfter) await refreshStatus();
    }
  }

  function scale(count: number, target = 'web', host?: string): Promise<boolean> {
    state.scale.target = count;
    return act(
      state.scale,
      () => api.scale({ service: target, count, ...(host ? { host } : {}) }),
      (result) => (state.scale.last = result),
      true,
    );
  }

  function startTraffic(request: TrafficRequest): Promise<boolean> {
    return act(
      state.trafficAction,
      () => api.startTraffic(request),
      (result) => (state.traffic = result),
      false,
    );
  }

  function stopTraffic(): Promise<boolean> {
    return act(
      state.trafficAction,
      () => api.stopTraffic(),
      (result) => (state.traffic = result),
      false,
    );
  }

  async function loadTemplate(): Promise<void> {
    const reply = await api.getTemplate();
    if ('result' in reply) state.template = reply.result;
  }

  function setTemplate(source: string): Promise<boolean> {
    state.templateAction.applied = false;
    return act(
      state.templateAction,
      () => api.setTemplate({ source }),
      () => {
        state.templateAction.applied = true;
        state.template = { name: state.template?.name ?? '', source };
      },
      true,
    );
  }

  function startDemo(): Promise<boolean> {
    return act(
      state.demoAction,
      () => api.startDemo(),
      () => undefined,
      true,
    );
  }

  /**
   * Switches this page at once, and asks the engine to keep the choice for every front end; a
   * page whose choice the engine did not save keeps it for itself (and says so).
   */
  async function chooseLanguage(language: LanguageChoice): Promise<boolean> {
    state.languageOverride = language;
    const saved = await act(
      state.settingsAction,
      () => api.updateSettings({ language }),
      (settings) => (state.settings = settings),
      false,
    );
    if (saved) state.languageOverride = undefined;
    return saved;
  }

  /** Saves settings from the settings view; the engine restarts when they concern it. */
  function saveSettings(patch: SettingsRequest): Promise<boolean> {
    return act(
      state.settingsAction,
      () => api.updateSettings(patch),
      (settings) => (state.settings = settings),
      true,
    );
  }

  async function openExternal(target: 'lb' | 'consul-ui'): Promise<void> {
    const reply = await api.openExternal({ target });
    if ('error' in reply) state.demoAction.error = reply.error;
  }

  return {
    state,
    series,
    colors,
    api,
    start,
    stop,
    refreshStatus,
    scale,
    startTraffic,
    stopTraffic,
    loadTemplate,
    setTemplate,
    startDemo,
    chooseLanguage,
    saveSettings,
    openExternal,
  };
}
