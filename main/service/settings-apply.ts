/**
 * Settings that change the engine (the Docker endpoint, a port, an image, Consul) are applied
 * by restarting it: the engine stops without removing the stack, takes the configuration built
 * from the new settings (engine-config-sources.ts), and starts again, adopting the stack; only
 * the containers the change concerns are made again (main/engine/stack/stack-drift.ts).
 * A new port that is taken is refused before anything is saved, with the next free port offered.
 */
import { isMaskedToken, type Settings, type SettingsRequest } from '../../contract/index.js';
import type { EngineConfig } from '../engine/engine-config.js';
import { isPortFree, portInUse } from '../engine/stack/port-check.js';
import { buildEngineConfig, restartKey, type EngineFlags } from './engine-config-sources.js';
import type { SettingsStore } from './settings-store.js';

/** The engine as the applier needs it: its configuration, replaceable while it is stopped. */
export interface ReconfigurableEngine {
  readonly config: EngineConfig;
  readonly lbPort: number;
  reconfigure(config: EngineConfig): void;
}

/** The service as the applier needs it: its phase, and stopping and starting the demo. */
export interface RestartableDemo {
  view(): { phase: 'stopped' | 'starting' | 'ready' | 'stopping' | 'failed' };
  stopEngine(options: { down: boolean }): Promise<void>;
  startDemo(): Promise<unknown>;
}

export class SettingsApplier {
  constructor(
    private readonly engine: ReconfigurableEngine,
    private readonly store: SettingsStore,
    private readonly sources: { env?: NodeJS.ProcessEnv; flags?: EngineFlags } = {},
  ) {}

  /** The configuration the saved settings, the environment and the flags give now. */
  async config(settings?: Settings): Promise<EngineConfig> {
    await this.store.load();
    return buildEngineConfig({ ...this.sources, settings: settings ?? this.store.withSecrets() });
  }

  /** Before every start: the engine takes what the settings say now. */
  async beforeStart(): Promise<void> {
    const next = await this.config();
    if (restartKey(next) !== restartKey(this.engine.config)) this.engine.reconfigure(next);
  }

  /** Before a patch is saved: a port it moves to must be free on 127.0.0.1 (else nothing is saved). */
  async check(patch: SettingsRequest): Promise<void> {
    const current = await this.config();
    const patched: Settings = { ...this.store.withSecrets(), ...definedOnly(patch) };
    if (patch.consulToken !== undefined && isMaskedToken(patch.consulToken))
      patched.consulToken = this.store.withSecrets().consulToken;
    const next = await this.config(patched);
    if (
      next.lbPort !== current.lbPort &&
      next.lbPort !== this.engine.lbPort &&
      !(await isPortFree(next.lbPort))
    )
      throw await portInUse('lbPort', next.lbPort, 'load balancer');
    const managed = !next.consulAddress;
    if (managed && next.consulPort !== current.consulPort && !(await isPortFree(next.consulPort)))
      throw await portInUse('consulPort', next.consulPort, 'Consul UI and API');
  }

  /**
   * After a patch was saved: restarts the engine when what it is built from changed. A demo that
   * was stopped on purpose stays stopped (the next start takes the new settings); one that failed
   * to start (a port in use, say) is started again with them.
   */
  async apply(demo: RestartableDemo): Promise<boolean> {
    const next = await this.config();
    if (restartKey(next) === restartKey(this.engine.config)) return false;
    const { phase } = demo.view();
    if (phase === 'stopped' || phase === 'stopping') {
      if (phase === 'stopped') this.engine.reconfigure(next);
      return false;
    }
    if (phase === 'starting') await demo.startDemo().catch(() => undefined);
    await demo.stopEngine({ down: false });
    // beforeStart() takes the new configuration.
    await demo.startDemo();
    return true;
  }
}

function definedOnly(patch: SettingsRequest): Partial<Settings> {
  return Object.fromEntries(Object.entries(patch ?? {}).filter(([, value]) => value !== undefined));
}
