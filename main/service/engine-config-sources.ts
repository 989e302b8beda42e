/**
 * The one builder of the engine's configuration, shared by the desktop app and `discovery-tray up`:
 * the defaults, then the settings file, then the environment, then the command line's flags; each
 * later source wins for what it sets. One exception, the Docker endpoint: a chosen endpoint (the
 * flag, else the setting) is tried alone, before DOCKER_HOST and the Docker context are searched
 * (main/engine/docker/endpoint-candidates.ts), because a user who named an engine means that one.
 */
import type { Settings } from '../../contract/index.js';
import { defaultEngineConfig, type EngineConfig } from '../engine/engine-config.js';
import { UserError } from '../engine/errors.js';
import type { StackImages } from '../engine/stack/stack-config.js';

/** What the command line set (only what was given). */
export type EngineFlags = Partial<
  Pick<
    EngineConfig,
    | 'webCount'
    | 'lbPort'
    | 'consulPort'
    | 'consulAddress'
    | 'consulCaFile'
    | 'dockerHost'
    | 'templatePath'
    | 'wait'
    | 'registration'
    | 'consulServers'
    | 'followedHosts'
  >
> & { images?: Partial<StackImages> };

export interface ConfigSources {
  /** The settings with the ACL token in full (SettingsStore.withSecrets()). */
  settings: Settings;
  env?: NodeJS.ProcessEnv;
  flags?: EngineFlags;
}

/** The environment variables that set what a setting sets (documented in the README). */
export const ENV = {
  project: 'DISCOVERY_TRAY_PROJECT',
  lbPort: 'DISCOVERY_TRAY_LB_PORT',
  consulPort: 'DISCOVERY_TRAY_CONSUL_PORT',
  consulImage: 'DISCOVERY_TRAY_CONSUL_IMAGE',
  lbImage: 'DISCOVERY_TRAY_LB_IMAGE',
  webImage: 'DISCOVERY_TRAY_WEB_IMAGE',
  webBaseImage: 'DISCOVERY_TRAY_WEB_BASE_IMAGE',
  consulAddress: 'DISCOVERY_TRAY_CONSUL',
  consulToken: 'DISCOVERY_TRAY_CONSUL_TOKEN',
  consulCaFile: 'DISCOVERY_TRAY_CONSUL_CA',
} as const;

function envPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UserError(
      `${name} must be a port number from 1 to 65535; got "${value}". Fix or unset it.`,
      'bad-request',
    );
  return port;
}

const given = (value: string | undefined): string | undefined => (value ? value : undefined);

export function buildEngineConfig({ settings, env = process.env, flags = {} }: ConfigSources): EngineConfig {
  const config = defaultEngineConfig({});
  // The settings file.
  config.lbPort = settings.lbPort;
  config.consulPort = settings.consulPort;
  config.images = {
    ...config.images,
    consul: settings.consulImage,
    lb: settings.lbImage,
    web: settings.webImage,
  };
  if (settings.dockerHost) config.dockerHost = settings.dockerHost;
  if (settings.consulMode === 'own' && settings.consulAddress) {
    config.consulAddress = settings.consulAddress;
    if (settings.consulToken) config.consulToken = settings.consulToken;
    if (settings.consulCaFile) config.consulCaFile = settings.consulCaFile;
  }
  // The environment.
  config.project = given(env[ENV.project]) ?? config.project;
  config.lbPort = envPort(env, ENV.lbPort) ?? config.lbPort;
  config.consulPort = envPort(env, ENV.consulPort) ?? config.consulPort;
  config.images = {
    consul: given(env[ENV.consulImage]) ?? config.images.consul,
    lb: given(env[ENV.lbImage]) ?? config.images.lb,
    web: given(env[ENV.webImage]) ?? config.images.web,
    webBase: given(env[ENV.webBaseImage]) ?? config.images.webBase,
  };
  const envConsul = given(env[ENV.consulAddress]);
  if (envConsul) config.consulAddress = envConsul;
  const envToken = given(env[ENV.consulToken]);
  if (envToken) config.consulToken = envToken;
  const envCa = given(env[ENV.consulCaFile]);
  if (envCa) config.consulCaFile = envCa;
  // The command line.
  const { images, ...rest } = flags;
  Object.assign(config, rest);
  if (images) config.images = { ...config.images, ...images };
  return config;
}

/** The parts of a configuration that a restart must take up (what the settings can change). */
export function restartKey(config: EngineConfig): string {
  return JSON.stringify([
    config.dockerHost ?? '',
    config.lbPort,
    config.consulPort,
    config.images,
    config.consulAddress ?? '',
    config.consulToken ?? '',
    config.consulCaFile ?? '',
  ]);
}
