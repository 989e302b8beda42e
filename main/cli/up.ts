/** `discovery-tray up`: the engine in the foreground, until Ctrl-C or `down`. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BUILTIN_TEMPLATE_NAMES,
  LIMITS,
  isBuiltinTemplateName,
  type BuiltinTemplateName,
} from '../../contract/index.js';
import { Engine } from '../engine/engine.js';
import { defaultEngineConfig } from '../engine/engine-config.js';
import { UserError, errorMessage } from '../engine/errors.js';
import { consulServerCount } from '../engine/stack/consul-cluster.js';
import { parseConsulAddresses } from '../engine/consul/consul-addresses.js';
import { consulUrl } from '../engine/consul/consul-connection.js';
import { isIPv4 } from '../engine/registrator/validation.js';
import { dockerHostFlags } from '../engine/multi/docker-host-flags.js';
import { parseWait } from '../engine/render/quiescence.js';
import { ControlServer } from '../server/control-server.js';
import { ControlClient, NoEngineError } from '../server/control-client.js';
import { settingsFileStorage } from '../server/settings-file.js';
import { templateFileStorage } from '../server/template-file.js';
import { clearEndpoint, newToken, saveEndpoint } from '../server/state-file.js';
import { DiscoveryService } from '../service/discovery-service.js';
import { PushHub } from '../service/push-hub.js';
import type { EngineFlags } from '../service/engine-config-sources.js';
import { SettingsApplier } from '../service/settings-apply.js';
import { SettingsStore } from '../service/settings-store.js';
import { DEFAULT_MAX_INSTANCES } from '../engine/scaler.js';
import { TemplateChoice } from '../service/template-choice.js';
import { TemplateStore, type NewTemplate } from '../service/template-store.js';
import { ProgressLines } from './progress-lines.js';
import { EXIT } from './usage.js';

export class UsageError extends Error {}

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`${flag} must be a port number (1-65535); got "${value}"`);
  return n;
}

/**
 * `--consul` once or repeated (each may be a comma list): the agents of the user's cluster, in the
 * order they are tried; every entry is checked here, so that a bad one changes nothing.
 */
function consulAddressFlags(given: string[]): string {
  try {
    return parseConsulAddresses(given).map(consulUrl).join(',');
  } catch (error) {
    throw new UsageError(`--consul: ${(error as Error).message}`);
  }
}

export interface UpOptions {
  /** Only what was given, so that the settings file and the environment fill the rest. */
  flags: EngineFlags;
  apiPort?: number;
  downOnExit: boolean;
  templateName?: BuiltinTemplateName;
}

/**
 * The flags of `up` (flags > environment > settings file > defaults,
 * main/service/engine-config-sources.ts).
 */
export function parseUpOptions(args: string[]): UpOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      web: { type: 'string' },
      'lb-port': { type: 'string' },
      'consul-port': { type: 'string' },
      'api-port': { type: 'string' },
      'consul-image': { type: 'string' },
      'consul-servers': { type: 'string' },
      'lb-image': { type: 'string' },
      'web-image': { type: 'string' },
      consul: { type: 'string', multiple: true },
      'consul-ca': { type: 'string' },
      template: { type: 'string' },
      'template-name': { type: 'string' },
      wait: { type: 'string' },
      register: { type: 'string' },
      'docker-host': { type: 'string', multiple: true },
      'register-ip': { type: 'string' },
      'down-on-exit': { type: 'boolean' },
    },
  });
  const config: EngineFlags = {};
  if (values.web !== undefined) {
    const n = Number(values.web);
    if (!Number.isInteger(n) || n < 0 || n > DEFAULT_MAX_INSTANCES) {
      throw new UsageError(
        `--web must be a whole number from 0 to ${DEFAULT_MAX_INSTANCES}; got "${values.web}"`,
      );
    }
    config.webCount = n;
  }
  const lbPort = port(values['lb-port'], '--lb-port');
  if (lbPort !== undefined) config.lbPort = lbPort;
  const consulPort = port(values['consul-port'], '--consul-port');
  if (consulPort !== undefined) config.consulPort = consulPort;
  const images: EngineFlags['images'] = {};
  if (values['consul-image']) images.consul = values['consul-image'];
  if (values['lb-image']) images.lb = values['lb-image'];
  if (values['web-image']) images.web = values['web-image'];
  if (Object.keys(images).length > 0) config.images = images;
  if (values['consul-servers'] !== undefined) {
    try {
      config.consulServers = consulServerCount(values['consul-servers']);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (values.consul) config.consulAddress = consulAddressFlags(values.consul);
  if (values['consul-ca'] !== undefined) {
    if (values['consul-ca'] === '')
      throw new UsageError(
        '--consul-ca needs a FILE: the PEM file of the CA that signed your Consul certificates',
      );
    config.consulCaFile = values['consul-ca'];
  }
  if (values.consul && (config.consulServers ?? 1) > 1)
    throw new UsageError('--consul-servers starts the demo its own cluster; leave it out with --consul ADDR');
  const dockerHosts = values['docker-host'] ?? [];
  if (dockerHosts.length > 0) {
    try {
      Object.assign(config, dockerHostFlags(dockerHosts));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (values.template) config.templatePath = values.template;
  const templateName = values['template-name'];
  if (templateName !== undefined && !isBuiltinTemplateName(templateName))
    throw new UsageError(
      `--template-name is one of ${BUILTIN_TEMPLATE_NAMES.join(', ')}; got "${templateName}"`,
    );
  if (templateName !== undefined && values.template)
    throw new UsageError('--template and --template-name cannot both be given: choose one template');
  if (values.wait) {
    try {
      config.wait = parseWait(values.wait);
    } catch (error) {
      throw new UsageError(`--wait: ${(error as Error).message}`);
    }
  }
  if (values.register !== undefined) {
    if (values.register !== 'internal' && values.register !== 'published')
      throw new UsageError(`--register is internal or published; got "${values.register}"`);
    config.registration = { mode: values.register };
  }
  if (values['register-ip'] !== undefined) {
    if (!isIPv4(values['register-ip']))
      throw new UsageError(`--register-ip must be an IPv4 address; got "${values['register-ip']}"`);
    config.registration = { mode: 'published', hostIp: values['register-ip'] };
  }
  const apiPort = port(values['api-port'], '--api-port');
  return {
    flags: config,
    ...(apiPort !== undefined ? { apiPort } : {}),
    downOnExit: values['down-on-exit'] ?? false,
    ...(templateName !== undefined ? { templateName } : {}),
  };
}

/** What `--template FILE` or `--template-name NAME` gives, to keep for this start and the next ones. */
async function flagTemplate(options: UpOptions): Promise<NewTemplate | undefined> {
  if (options.templateName) return { kind: 'builtin', builtin: options.templateName };
  if (!options.flags.templatePath) return undefined;
  const path = resolve(options.flags.templatePath);
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(
      `Cannot read the template ${path}: ${errorMessage(error)}. Check the path given to --template.`,
      'bad-template',
    );
  }
  if (new TextEncoder().encode(source).length > LIMITS.maxTemplateBytes)
    throw new UserError(
      `The template ${path} is over the ${LIMITS.maxTemplateBytes / 1024} KiB limit.`,
      'bad-template',
    );
  return { kind: 'file', source, path };
}

export async function runUp(args: string[]): Promise<number> {
  const options = parseUpOptions(args);
  try {
    const running = await ControlClient.connect();
    console.log(`An engine is already running (control API ${running.baseUrl}). Use discovery-tray status.`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof NoEngineError)) throw error;
  }

  // Pulls and builds redraw one line per image in a terminal, and log plain lines elsewhere.
  const lines = new ProgressLines(process.stdout);
  // The settings file the app writes is read here too; each start builds the engine from it.
  const settings = new SettingsStore(settingsFileStorage());
  const engine = new Engine(defaultEngineConfig(), (message, image) =>
    image ? lines.image(image) : lines.message(`  … ${message}`),
  );
  const settingsApplier = new SettingsApplier(engine, settings, { flags: options.flags });
  let shuttingDown: Promise<void> | undefined;
  const templates = new TemplateChoice(new TemplateStore(templateFileStorage()));
  // The flag's template is kept before the start: this start and every next one render it.
  const fromFlag = await flagTemplate(options);
  if (fromFlag) await templates.keepFromFlag(fromFlag);
  const service = new DiscoveryService(engine, {
    onDown: () => void shutdown('the stack was removed'),
    onShutdown: () => void shutdown('asked to stop'),
    // The settings the app and the browser dashboards change, kept in the state folder.
    settings,
    settingsApplier,
    // The template chosen or edited, kept in the state folder: the next start renders it again.
    templates,
  });
  const push = new PushHub(service.feeds());
  const token = newToken();
  const server = new ControlServer({
    handlers: service,
    push,
    token,
    ...(options.apiPort !== undefined ? { port: options.apiPort } : {}),
  });

  const shutdown = (why: string): Promise<void> => {
    shuttingDown ??= (async () => {
      console.log(`\nStopping the engine (${why})…`);
      await server.close();
      push.close();
      await service.stopEngine({ down: options.downOnExit });
      await clearEndpoint(process.pid);
      console.log(
        options.downOnExit || why === 'the stack was removed'
          ? 'Engine stopped; the demo stack was removed.'
          : 'Engine stopped; the demo stack keeps running (discovery-tray up adopts it, discovery-tray down removes it).',
      );
    })();
    return shuttingDown;
  };

  const port = await server.listen();
  service.setDashboardUrl(server.dashboardUrl);
  // Before anything is created: a state folder that cannot be written is found now, not after the stack is up.
  try {
    await saveEndpoint({ pid: process.pid, port, token, startedAt: Date.now() });
  } catch (error) {
    await server.close();
    throw error;
  }
  console.log('Starting Discovery Tray…');
  process.once('SIGINT', () => void shutdown('Ctrl-C').then(() => process.exit(EXIT.ok)));
  process.once('SIGTERM', () => void shutdown('SIGTERM').then(() => process.exit(EXIT.ok)));
  try {
    await service.startDemo();
  } catch (error) {
    await server.close();
    await clearEndpoint(process.pid);
    throw error;
  }
  const status = service.getStatus();
  console.log(`Discovery Tray is up${status.adopted ? ' (adopted the running stack)' : ''}.
  Load balancer  ${status.lb.url}
  Consul UI      ${status.consul.uiUrl}
  Dashboard      ${status.dashboard?.url ?? server.dashboardUrl}
  Control API    http://127.0.0.1:${port} (token in the state folder)
  web instances  ${status.services.find((s) => s.name === 'web')?.running ?? 0}
Try: discovery-tray scale web=3   ·   Ctrl-C stops the engine (the stack keeps running)`);
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (shuttingDown) {
        clearInterval(check);
        void shuttingDown.then(resolve);
      }
    }, 200);
  });
  return EXIT.ok;
}

export { UserError };
