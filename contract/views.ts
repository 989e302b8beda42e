/**
 * What the engine says about itself: the views every front end shows (status, hits, traffic,
 * timeline, template). Plain data, JSON as it travels over IPC and HTTP.
 */
import type { PortOffer } from './settings.js';
import type { BuiltinTemplateName, TemplateKind, TemplateOrigin } from './templates.js';

/**
 * Who starts and stops an instance's container: the engine, for its own demo (`demo`); the engine,
 * for a Compose service, going by Compose's labels (`compose`); or nobody here (`none`): such an
 * instance is only "also registered", and no scale ever starts or stops its container.
 */
export type ManagedBy = 'demo' | 'compose' | 'none';

export interface InstanceView {
  /** Consul service ID. */
  id: string;
  service: string;
  containerId: string;
  containerName: string;
  address: string;
  port: number;
  tags: string[];
  /** Epoch ms when it was registered. */
  registeredAt: number;
  /**
   * starting: registered, not yet in the live nginx config; serving: in it; draining: leaving;
   * unreachable: left out of the config because the LB cannot connect to it (unreachableReason says why).
   */
  state: 'starting' | 'serving' | 'draining' | 'unreachable';
  /** Set by the engine on every instance (optional only until every front end's fixtures have it). */
  managedBy?: ManagedBy;
  /** The scale target its container belongs to (`web`, or `<project>/<service>`), unless managedBy is `none`. */
  scaleTarget?: string;
  /** Compose's project, service and replica number (com.docker.compose.*), for `compose` instances. */
  composeProject?: string;
  composeService?: string;
  composeNumber?: number;
  /** Why the LB cannot reach it, for state `unreachable`. */
  unreachableReason?: string;
  /** Consul's check status, and Docker's HEALTHCHECK status where its container runs on this Docker. */
  health?: InstanceHealth;
  /** True when it is in the live nginx config (the last applied render used it). */
  inConfig?: boolean;
  /** False for a registration someone else made (not this engine's `dt-owner` meta): shown read-only. */
  owned?: boolean;
  /** The registrator's warnings about its container, each with the change that fixes it where known. */
  warnings?: WarningView[];
  /** The Docker host this instance runs on (several engines), from its registration's host meta. */
  host?: string;
}

export interface InstanceHealth {
  /** The worst of its Consul checks (no check: passing); absent until Consul's health is known. */
  consul?: 'passing' | 'warning' | 'critical';
  /** Docker's HEALTHCHECK status (`none`: the image has none); absent when the container is not on this Docker. */
  docker?: 'healthy' | 'unhealthy' | 'starting' | 'none';
}

export interface WarningView {
  message: string;
  /** One line that says what to change, where the engine knows it. */
  fix?: string;
}

export interface ServiceView {
  name: string;
  /** The count asked for: the sum over the scale targets that register this service (see ScaleTargetView.desired). */
  desired?: number;
  /** Instances the engine manages (`demo` or `compose`) that are not draining. */
  running: number;
  /** Instances registered whose containers the engine neither started nor ever stops (managedBy `none`). */
  alsoRegistered?: number;
  /** The scale targets whose containers register this service (ScaleTargetView.target). */
  scaleTargets?: string[];
  instances: InstanceView[];
  /** False when no instance of it was registered by this engine: shown read-only. */
  owned?: boolean;
  /** Instances Consul has that are not listed (over the per-service cap). */
  instancesNotShown?: number;
}

/**
 * One thing `scale` can scale, with its progress: the demo's `web` (always listed), or a Compose
 * service whose containers are registered. A Consul service may be fed by several targets, and a
 * target's containers may register several Consul services.
 */
export interface ScaleTargetView {
  /** What `scale` takes: `web`, or `<project>/<service>`. */
  target: string;
  managedBy: Exclude<ManagedBy, 'none'>;
  composeProject?: string;
  composeService?: string;
  /** The Consul services its containers register. */
  services: string[];
  /**
   * demo: the count asked for. compose: the count of the scale in progress, else absent (Compose
   * keeps its own count: replicas Compose starts or stops later are its business, not a fault).
   */
  desired?: number;
  /** Its containers that are registered and not draining. */
  running: number;
  /** The counts `scale` accepts: 0 to max for the demo, 1 to max for Compose (new replicas are copies of a running one). */
  min: number;
  max: number;
  /** False when the engine cannot add replicas now; blockedBy says why and what to change. Scaling down still works. */
  scalable: boolean;
  blockedBy?: string;
  busy: boolean;
  /** Container names being started, and being drained, by the scale in progress. */
  starting: string[];
  draining: string[];
}

export interface ErrorView {
  at: number;
  message: string;
  line?: number;
  column?: number;
  /** The offending lines, numbered, where known. */
  excerpt?: string[];
}

export interface EngineStatus {
  state: 'starting' | 'ready' | 'stopping' | 'stopped';
  /** True when `up` found a stack from an earlier run and took it over. */
  adopted: boolean;
  docker: {
    connected: boolean;
    /** The address that answered (unix:///var/run/docker.sock, tcp://…), or where the engine will look. */
    endpoint: string;
    version?: string;
    /** Where that address came from: "DOCKER_HOST", 'Docker context "colima"', "rootless Podman", … */
    source?: string;
    error?: string;
  };
  consul: {
    connected: boolean;
    url: string;
    uiUrl: string;
    managed: boolean;
    error?: string;
    cluster?: ClusterView;
    /** Every server the engine may use, in order, when it was given several; `url` is the one in use. */
    addresses?: string[];
  };
  lb: {
    url: string;
    generation: number;
    config?: string;
    previousConfig?: string;
    appliedAt?: number;
    lastError?: ErrorView;
  };
  template: { name: string; dependencies: string[]; lastRenderAt?: number; lastError?: ErrorView };
  dashboard?: { url: string };
  services: ServiceView[];
  /** Everything that can be scaled, the demo's web first (optional only until every front end's fixtures have it). */
  scaleTargets?: ScaleTargetView[];
  /** The demo's web only, as before; each target's progress is in scaleTargets. */
  scaling: {
    service: 'web';
    desired?: number;
    starting: string[];
    draining: string[];
    busy: boolean;
    max: number;
  };
  warnings: { container: string; message: string }[];
  /** The most recent timeline events (at most 100), oldest first. */
  timeline?: TimelineEvent[];
  /** Where the hit counts come from right now (see HitsSnapshot.source). */
  hitsSource?: HitsSnapshot['source'];
  /** Services in Consul's catalog that are not listed (over the cap on services). */
  servicesNotShown?: number;
  /** The last start failed on a port in use: which setting, and the next free port to offer. */
  portInUse?: PortOffer;
  /** While the engine starts: each image it pulls or builds, in the order they started. */
  preparing?: ImageProgress[];
  /** Which template is live and where it came from (the `--template` flag, the state folder, the default). */
  liveTemplate?: LiveTemplateView;
  /** Several engines: every Docker endpoint followed, the local one (it runs the stack) first. */
  dockerHosts?: DockerHostView[];
}

/** One Docker endpoint the engine follows (several engines; README "Several Docker engines"). */
export interface DockerHostView {
  /** `local` for the first endpoint; the `name=` given (or the address's host) for the others. */
  name: string;
  endpoint: string;
  /** The address its published ports are registered with (followed hosts). */
  address?: string;
  /** lost: no answer for the documented bound; its instances are out of Consul until it is back. */
  state: 'connecting' | 'connected' | 'lost';
  local: boolean;
  error?: string;
}

export interface ScaleResponse {
  service: string;
  desired: number;
  running: number;
  superseded: boolean;
  warnings: string[];
}

/** The steps of discovery, one typed timeline for the whole engine. */
export type TimelineKind =
  | 'container-started'
  | 'container-stopped'
  | 'registered'
  | 'deregistered'
  | 'template-rendered'
  | 'template-error'
  | 'lb-reloaded'
  | 'lb-error'
  | 'first-request'
  | 'docker-up'
  | 'docker-down'
  | 'consul-up'
  | 'consul-down'
  | 'warning'
  | 'error'
  | 'lb-network'
  | 'unreachable'
  | 'reachable'
  | 'consul-leader'
  | 'consul-member'
  | 'image-copied';

export interface TimelineEvent {
  /** Monotonic sequence number, so that clients can ask for "everything after N". */
  seq: number;
  /** Wall-clock time in epoch milliseconds (with sub-millisecond precision where available). */
  at: number;
  kind: TimelineKind;
  message: string;
  containerId?: string;
  serviceId?: string;
  /** Milliseconds since the previous step of the same container's chain, when there is one. */
  sincePreviousMs?: number;
}

/** Hits of one backend, as read from the logs. */
export interface BackendHits {
  /** ip:port, as nginx and Consul know it. */
  address: string;
  /** The Docker host it runs on (several engines), named as InstanceView.host names it; absent with one engine. */
  host?: string;
  containerName?: string;
  /** Every hit counted since the engine started following this backend. */
  total: number;
  /** Hits in the last complete second. */
  perSecond: number;
  /** Fraction (0..1) of all hits of the last 60 s that this backend served. */
  share: number;
  /** Hits per second over the last 60 s, oldest first (60 entries). */
  series: number[];
}

export interface HitsSnapshot {
  at: number;
  /** Where the counts come from: the web containers' own logs, or nginx's access log ($upstream_addr). */
  source: 'web-logs' | 'lb-access-log';
  backends: BackendHits[];
  /** The backends (ip:port) that served the last requests, oldest first, at most 50. */
  recent: string[];
}

export interface TrafficStatus {
  running: boolean;
  ratePerSecond?: number;
  startedAt?: number;
  endsAt?: number;
  sent: number;
  succeeded: number;
  failed: number;
  latencyMs?: { p50: number; p95: number; p99: number };
  /** Requests per backend, read from each response. */
  byBackend: Record<string, number>;
  lastError?: string;
  /** Requests not sent because too many were in flight or the sender fell behind (never sent in a burst). */
  skipped?: number;
}

export interface TemplateView {
  name: string;
  source: string;
}

export type ImagePhase = 'pulling' | 'building' | 'done' | 'failed';

/** One image being pulled or built, from Docker's progress stream (pushed as the `progress` topic). */
export interface ImageProgress {
  image: string;
  phase: ImagePhase;
  /** Layers of the image being pulled (for a build: of its base image) that are in place. */
  layersDone: number;
  layersTotal: number;
  /** Bytes downloaded, of the layers whose size Docker has told (it tells as each layer starts). */
  bytesDone: number;
  bytesTotal: number;
  /** Build steps finished and in all ("Step 3/7"); 0 for a pull. */
  stepsDone: number;
  stepsTotal: number;
  /** 0–100; null until Docker has said how much there is. 100 only when done. */
  percent: number | null;
  /** The last thing Docker said that a person reads: a build step, a retry, the final status, the error. */
  message: string;
}

/** The live template: a built-in by name, or a custom text (edited, or from a file). */
export interface LiveTemplateView {
  origin: TemplateOrigin;
  kind: TemplateKind;
  /** Set when the live template is a built-in. */
  builtin?: BuiltinTemplateName;
  /** What it is, for people: the built-in's name or where the text came from. */
  label: string;
}

/** One kept version of the template, newest first; the first is used on the next start. */
export interface TemplateVersionView {
  id: number;
  savedAt: number;
  kind: TemplateKind;
  label: string;
  builtin?: BuiltinTemplateName;
  /** Bytes of a custom text (none for a built-in). */
  bytes?: number;
}

/** One kept version's text, to look at before restoring it (a built-in's text for a built-in). */
export interface TemplateVersionTextView {
  id: number;
  label: string;
  source: string;
}

export interface TemplateHistoryView {
  builtins: BuiltinTemplateName[];
  versions: TemplateVersionView[];
  /** What the next start uses (and what runs now, when the demo runs). */
  live: LiveTemplateView;
  /** What was wrong with the kept templates (the default is used instead). */
  warning?: string;
}

/** One agent of the Consul cluster, as the agent in use sees it (its gossip view). */
export interface ClusterMemberView {
  name: string;
  /** IP:port of its server RPC (8300) for servers, of its gossip (8301) for clients. */
  address: string;
  status: 'alive' | 'failed' | 'left' | 'unknown';
  role: 'server' | 'client';
  leader: boolean;
}

/** The Consul cluster the engine talks to, read on a bounded interval (cluster-watch.ts). */
export interface ClusterView {
  /** At most 64, servers first; the rest are counted in membersNotShown. */
  members: ClusterMemberView[];
  membersNotShown?: number;
  /** The leader's server RPC address (IP:8300); absent while there is none. */
  leader?: string;
  /** Raft peers (voting servers). */
  peers: number;
  /** When the engine last saw the leader change (epoch ms); absent until it has seen one. */
  lastLeaderChangeAt?: number;
  /** When the view was read (epoch ms). */
  readAt: number;
}
