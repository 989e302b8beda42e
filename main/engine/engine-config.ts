/** Everything `discovery-tray up` (and the tray app) can set, with defaults. */
import { hostname } from 'node:os';
import type { FollowedHostSpec } from './multi/docker-host-spec.js';
import type { RegistrationMode } from './registrator/service-spec.js';
import type { QuiescenceWindow } from './render/quiescence.js';
import { DEFAULT_MAX_INSTANCES } from './scaler.js';
import { DEFAULT_STACK_CONFIG, type StackConfig } from './stack/stack-config.js';

export interface EngineConfig extends StackConfig {
  /** Web instances to run after `up` (default: keep what runs, at least 1). */
  webCount?: number;
  /** A consul-template file; default: the classic demo template shipped in assets/templates. */
  templatePath?: string;
  wait?: QuiescenceWindow;
  maxInstances: number;
  drainTimeoutMs: number;
  /** false: scale down without draining, as the classic pipeline does (the benchmark's peer only). */
  drain?: boolean;
  /** Host name used in service IDs. */
  hostname: string;
  /**
   * The Docker engine to use (unix://, tcp://, ssh://, npipe://, or a socket path), tried alone;
   * default: the first that answers of DOCKER_HOST, the Docker context, the default and rootless
   * sockets and Podman's (main/engine/docker/endpoint-candidates.ts).
   */
  dockerHost?: string;
  /**
   * How containers are registered, as registrator's -internal and -ip flags: internal (container
   * IP on its network + exposed port, the classic demo's choice) or published (the host's address
   * + published port, for other machines to reach), with the address to advertise for ports
   * bound to every interface.
   */
  registration: { mode: RegistrationMode; hostIp?: string };
  /**
   * Several engines: the Docker hosts followed besides the local one (`--docker-host` given more
   * than once), each registered with its own address and published ports (main/engine/multi/).
   */
  followedHosts?: FollowedHostSpec[];
}

/** The defaults, with the environment's project and images (pass {} for the defaults alone). */
export function defaultEngineConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  return {
    ...DEFAULT_STACK_CONFIG,
    // A second, separate stack (e.g. for tests next to a running demo) takes another project name.
    project: env.DISCOVERY_TRAY_PROJECT ?? DEFAULT_STACK_CONFIG.project,
    images: {
      consul: env.DISCOVERY_TRAY_CONSUL_IMAGE ?? DEFAULT_STACK_CONFIG.images.consul,
      lb: env.DISCOVERY_TRAY_LB_IMAGE ?? DEFAULT_STACK_CONFIG.images.lb,
      web: env.DISCOVERY_TRAY_WEB_IMAGE ?? DEFAULT_STACK_CONFIG.images.web,
      webBase: env.DISCOVERY_TRAY_WEB_BASE_IMAGE ?? DEFAULT_STACK_CONFIG.images.webBase,
    },
    maxInstances: DEFAULT_MAX_INSTANCES,
    drainTimeoutMs: 15_000,
    hostname: hostname(),
    registration: { mode: 'internal' },
  };
}
