/**
 * The real engine for the desktop app, wired as `discovery-tray up` wires it: the application
 * service, its push hub, and the control API, so that `discovery-tray status|scale|down` and a
 * browser work against the app's engine too.
 */
import { Engine } from '../engine/engine.js';
import { defaultEngineConfig } from '../engine/engine-config.js';
import { UserError } from '../engine/errors.js';
import { ControlClient, NoEngineError } from '../server/control-client.js';
import { ControlServer } from '../server/control-server.js';
import { settingsFileStorage } from '../server/settings-file.js';
import { templateFileStorage } from '../server/template-file.js';
import { clearEndpoint, newToken, saveEndpoint } from '../server/state-file.js';
import { DiscoveryService, type ServiceHost } from '../service/discovery-service.js';
import { PushHub } from '../service/push-hub.js';
import { SettingsApplier } from '../service/settings-apply.js';
import { SettingsStore } from '../service/settings-store.js';
import { TemplateChoice } from '../service/template-choice.js';
import { TemplateStore } from '../service/template-store.js';

export interface ControlPort {
  /** Starts the control API and publishes it in the state folder; refuses when another engine runs. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export interface Backend {
  service: DiscoveryService;
  push: PushHub;
  control: ControlPort;
}

/** What the app does for the service; the backend adds opening the control API before each start. */
export type AppHost = Omit<ServiceHost, 'beforeStart'>;

/** Throws a UserError when an engine (e.g. a headless `discovery-tray up`) already answers. */
async function refuseIfAnotherEngineRuns(): Promise<void> {
  let other: ControlClient;
  try {
    other = await ControlClient.connect();
  } catch (error) {
    if (error instanceof NoEngineError) return;
    throw error;
  }
  throw new UserError(
    `Another Discovery Tray engine is running (control API ${other.baseUrl}), probably \`discovery-tray up\` in a terminal. Stop it (Ctrl-C there, or \`discovery-tray down\`), then choose Start demo.`,
    'engine-running',
  );
}

export function createBackend(host: AppHost): Backend {
  // Each start builds the engine from the settings (settings-apply.ts); a change restarts it.
  const settings = new SettingsStore(settingsFileStorage());
  // The window and the tray show each image's figures; the log keeps the other steps and each image's end.
  const engine = new Engine(defaultEngineConfig(), (message, image) => {
    if (!image || image.phase === 'done' || image.phase === 'failed') console.log(`  … ${message}`);
  });
  const settingsApplier = new SettingsApplier(engine, settings);
  const token = newToken();
  let port: number | undefined;
  const control: ControlPort = {
    async open() {
      if (port !== undefined) return;
      await refuseIfAnotherEngineRuns();
      const listening = await server.listen();
      try {
        await saveEndpoint({ pid: process.pid, port: listening, token, startedAt: Date.now() });
      } catch (error) {
        await server.close();
        throw error;
      }
      port = listening;
      service.setDashboardUrl(server.dashboardUrl);
    },
    async close() {
      if (port === undefined) return;
      port = undefined;
      service.setDashboardUrl(undefined);
      await server.close();
      await clearEndpoint(process.pid);
    },
  };
  const service = new DiscoveryService(engine, {
    ...host,
    beforeStart: () => control.open(),
    settings,
    settingsApplier,
    // The template chosen or edited, kept in the state folder: the next start renders it again.
    templates: new TemplateChoice(new TemplateStore(templateFileStorage())),
  });
  const push = new PushHub(service.feeds());
  const server = new ControlServer({ handlers: service, push, token });
  return { service, push, control };
}
