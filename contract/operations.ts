/**
 * The contract, as a table: every operation any front end can ask of the engine, declared once
 * with its HTTP method and path, its request validator, its result type and the error codes it
 * may answer. The IPC handlers, the preload bridge, the HTTP routes, the renderer's HTTP client,
 * the CLI and the test fakes are generic code over this table: adding an operation is one entry
 * here and one method on the application service (main/service).
 */
import type * as z from 'zod';
import type { ApiResult, ErrorCode } from './errors.js';
import {
  externalRequest,
  noRequest,
  restoreTemplateRequest,
  selectTemplateRequest,
  scaleRequest,
  settingsRequest,
  templateRequest,
  timelineRequest,
  trafficRequest,
} from './requests.js';
import type { Settings } from './settings.js';
import type {
  EngineStatus,
  HitsSnapshot,
  ImageProgress,
  ScaleResponse,
  ServiceView,
  TemplateHistoryView,
  TemplateVersionTextView,
  TemplateView,
  TimelineEvent,
  TrafficStatus,
} from './views.js';

/** A type that exists only for the compiler: what an operation answers or a topic carries. */
export interface Returns<T> {
  readonly __type?: T;
}
export const returns = <T>(): Returns<T> => ({});

/**
 * Who may call: `ui` every dashboard (the window over IPC, a browser over HTTP); `desktop` the
 * window only (a browser does it itself); `cli` the control API only (the terminal's commands).
 */
export type Audience = 'ui' | 'desktop' | 'cli';

export interface OperationSpec {
  method: 'GET' | 'POST';
  path: string;
  request: z.ZodType;
  result: Returns<unknown>;
  /** The codes this operation itself answers; any call may also get the transport's (forbidden, internal, …). */
  errors: readonly ErrorCode[];
  audience: Audience;
  summary: string;
}

export const OPERATIONS = {
  getStatus: {
    method: 'GET',
    path: '/api/status',
    request: noRequest,
    result: returns<EngineStatus>(),
    errors: [],
    audience: 'ui',
    summary: 'Docker, Consul, the LB, services and instances, scaling, warnings, recent timeline',
  },
  getServices: {
    method: 'GET',
    path: '/api/services',
    request: noRequest,
    result: returns<ServiceView[]>(),
    errors: [],
    audience: 'ui',
    summary: 'every service in Consul that the engine knows, with its instances',
  },
  scale: {
    method: 'POST',
    path: '/api/scale',
    request: scaleRequest,
    result: returns<ScaleResponse>(),
    errors: ['bad-request', 'not-ready', 'not-scalable'],
    audience: 'ui',
    summary:
      "scale the demo's web or a Compose service (<project>/<service>); resolves once it converged (or a newer request took over)",
  },
  getHits: {
    method: 'GET',
    path: '/api/hits',
    request: noRequest,
    result: returns<HitsSnapshot>(),
    errors: [],
    audience: 'ui',
    summary: 'hits per backend, per second, over the last 60 s',
  },
  getTraffic: {
    method: 'GET',
    path: '/api/traffic',
    request: noRequest,
    result: returns<TrafficStatus>(),
    errors: [],
    audience: 'ui',
    summary: "the traffic generator's counts",
  },
  startTraffic: {
    method: 'POST',
    path: '/api/traffic',
    request: trafficRequest,
    result: returns<TrafficStatus>(),
    errors: ['bad-request', 'not-ready'],
    audience: 'ui',
    summary: 'send GETs through the LB at a steady rate for a bounded time',
  },
  stopTraffic: {
    method: 'POST',
    path: '/api/traffic/stop',
    request: noRequest,
    result: returns<TrafficStatus>(),
    errors: [],
    audience: 'ui',
    summary: 'stop the traffic generator',
  },
  getTimeline: {
    method: 'GET',
    path: '/api/timeline',
    request: timelineRequest,
    result: returns<TimelineEvent[]>(),
    errors: ['bad-request'],
    audience: 'ui',
    summary: 'timeline events after a sequence number (all kept events without one)',
  },
  getProgress: {
    method: 'GET',
    path: '/api/progress',
    request: noRequest,
    result: returns<ImageProgress[]>(),
    errors: [],
    audience: 'ui',
    summary: 'the images the last start pulled or built, each with its progress (bytes, layers, percent)',
  },
  getTemplate: {
    method: 'GET',
    path: '/api/template',
    request: noRequest,
    result: returns<TemplateView>(),
    errors: ['not-ready'],
    audience: 'ui',
    summary: 'the template the LB config is rendered from',
  },
  setTemplate: {
    method: 'POST',
    path: '/api/template',
    request: templateRequest,
    result: returns<EngineStatus>(),
    errors: ['bad-request', 'bad-template', 'not-ready'],
    audience: 'ui',
    summary: 'replace the template; a syntax error changes nothing',
  },
  getTemplateHistory: {
    method: 'GET',
    path: '/api/template/history',
    request: noRequest,
    result: returns<TemplateHistoryView>(),
    errors: [],
    audience: 'ui',
    summary: 'the built-in templates, the kept versions (newest first) and which one is live',
  },
  getTemplateVersion: {
    method: 'GET',
    path: '/api/template/version',
    request: restoreTemplateRequest,
    result: returns<TemplateVersionTextView>(),
    errors: ['bad-request'],
    audience: 'ui',
    summary:
      'the text of a kept version of the template (by its id in getTemplateHistory), to look at before restoring it',
  },
  selectTemplate: {
    method: 'POST',
    path: '/api/template/select',
    request: selectTemplateRequest,
    result: returns<TemplateHistoryView>(),
    errors: ['bad-request', 'bad-template', 'state-unwritable', 'folder-insecure'],
    audience: 'ui',
    summary: 'use a built-in template (classic is the reset), now if the demo runs and on every next start',
  },
  restoreTemplate: {
    method: 'POST',
    path: '/api/template/restore',
    request: restoreTemplateRequest,
    result: returns<TemplateHistoryView>(),
    errors: ['bad-request', 'bad-template', 'state-unwritable', 'folder-insecure'],
    audience: 'ui',
    summary: 'go back to a kept version of the template (by its id in getTemplateHistory)',
  },
  startDemo: {
    method: 'POST',
    path: '/api/demo/start',
    request: noRequest,
    result: returns<EngineStatus>(),
    errors: ['start-failed'],
    audience: 'ui',
    summary: 'start the engine and bring the demo stack up (or adopt a running one)',
  },
  stopDemo: {
    method: 'POST',
    path: '/api/demo/stop',
    request: noRequest,
    result: returns<EngineStatus>(),
    errors: [],
    audience: 'ui',
    summary: 'deregister and remove the demo stack; the engine waits for startDemo',
  },
  getSettings: {
    method: 'GET',
    path: '/api/settings',
    request: noRequest,
    result: returns<Settings>(),
    errors: [],
    audience: 'ui',
    summary: "the engine host's settings (language, …), shared by the window, browsers and the tray",
  },
  updateSettings: {
    method: 'POST',
    path: '/api/settings',
    request: settingsRequest,
    result: returns<Settings>(),
    errors: ['bad-request', 'state-unwritable', 'folder-insecure'],
    audience: 'ui',
    summary: 'change some settings (a partial patch); saved in the state folder, pushed to every front end',
  },
  openExternal: {
    method: 'POST',
    path: '/api/open',
    request: externalRequest,
    result: returns<null>(),
    errors: ['bad-request', 'not-ready', 'forbidden-url'],
    audience: 'desktop',
    summary: 'open the LB or the Consul UI in the system browser',
  },
  down: {
    method: 'POST',
    path: '/api/down',
    request: noRequest,
    result: returns<{ removed: number }>(),
    errors: [],
    audience: 'cli',
    summary: 'remove the demo stack; a terminal engine then exits, the tray app stays',
  },
  shutdown: {
    method: 'POST',
    path: '/api/stop',
    request: noRequest,
    result: returns<{ stopping: true }>(),
    errors: [],
    audience: 'cli',
    summary: 'stop the engine process (the stack keeps running)',
  },
} as const satisfies Record<string, OperationSpec>;

export type OperationName = keyof typeof OPERATIONS;
export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

/** What a caller passes (before validation). */
export type RequestOf<K extends OperationName> = z.input<(typeof OPERATIONS)[K]['request']>;
/** What a handler receives (after validation). */
export type ParsedRequestOf<K extends OperationName> = z.output<(typeof OPERATIONS)[K]['request']>;
export type ResultOf<K extends OperationName> =
  (typeof OPERATIONS)[K]['result'] extends Returns<infer T> ? T : never;

type NamesFor<A extends Audience> = {
  [K in OperationName]: (typeof OPERATIONS)[K]['audience'] extends A ? K : never;
}[OperationName];

/** What a dashboard can call (the window over IPC, a browser over HTTP). */
export type UiOperation = NamesFor<'ui' | 'desktop'>;
/** What the control API answers over HTTP. */
export type HttpOperation = NamesFor<'ui' | 'cli'>;

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(OPERATIONS, name);
}

/** The operations offered to these audiences, in the table's order. */
export function operationsFor<A extends Audience>(...audiences: A[]): NamesFor<A>[] {
  return OPERATION_NAMES.filter((name): name is NamesFor<A> =>
    (audiences as Audience[]).includes(OPERATIONS[name].audience),
  );
}

/** How a caller calls one operation: no argument for those that take none. */
export type Call<K extends OperationName> = [RequestOf<K>] extends [undefined]
  ? () => Promise<ApiResult<ResultOf<K>>>
  : undefined extends RequestOf<K>
    ? (request?: RequestOf<K>) => Promise<ApiResult<ResultOf<K>>>
    : (request: RequestOf<K>) => Promise<ApiResult<ResultOf<K>>>;

/** The engine's side: one handler per operation, given the validated request. */
export type Handlers = {
  [K in OperationName]: (request: ParsedRequestOf<K>) => ResultOf<K> | Promise<ResultOf<K>>;
};
