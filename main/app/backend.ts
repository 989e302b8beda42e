/**
 * The real engine and its control API for the desktop app, wired as
 * `discovery-tray up` wires them, so that `discovery-tray status|scale|down`
 * work against the app's engine.
 */
import { Engine } from '../engine/engine.js';
import { defaultEngineConfig } from '../engine/engine-config.js';
import { UserError } from '../engine/errors.js';
import { ControlClient, NoEngineError } from '../server/control-client.js';
import { ControlServer } from '../server/control-server.js';
import { clearEndpoint, newToken, saveEndpoint } from '../server/state-file.js';
import type { EngineLike } from './engine-port.js';

export interface ControlPort {
  /** Starts the control API and publishes it in the state folder; refuses when another engine runs. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export interface Backend {
  engine: EngineLike;
  control: ControlPort;
}

export type ShutdownReason = 'down' | 'stop';

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

export function createBackend(onShutdown: (reason: ShutdownReason) => void): Backend {
  const engine = new Engine(defaultEngineConfig(), (message) => console.log(`  … ${message}`));
  const token = newToken();
  const server = new ControlServer({ engine, token, onShutdown });
  let port: number | undefined;
  return {
    engine,
    control: {
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
      },
      async close() {
        if (port === undefined) return;
        port = undefined;
        await server.close();
        await clearEndpoint(process.pid);
      },
    },
  };
}
