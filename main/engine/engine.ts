/**
 * The engine at run time: holds the parts that assemble() started, the timeline and the traffic
 * generator (both outlive a stop), and says what the status is. Plain Node: no Electron here.
 * What front ends may ask of it is the application service's business (main/service).
 */
import { Emitter, type EngineStatus, type HitsSnapshot } from '../../contract/index.js';
import { assemble, removeStack, type AssembledEngine, type EngineParts } from './assemble.js';
import type { StartTemplate } from './builtin-templates.js';
import { consulUrl } from './consul/consul-connection.js';
import { ownerId } from './registrator/ownership.js';
import { connectDocker } from './docker/docker-connection.js';
import type { EngineConfig } from './engine-config.js';
import type { ProgressReporter } from './stack/images.js';
import { ProgressBoard } from './stack/progress-board.js';
import { Stack } from './stack/stack.js';
import { STATUS_TIMELINE_LENGTH, engineStatusView } from './status-view.js';
import { Timeline } from './timeline.js';
import { TrafficGenerator } from './traffic/traffic-generator.js';

export type { EngineParts } from './assemble.js';

export class Engine {
  readonly timeline = new Timeline();
  /** Anything in the status may have changed (subscribers coalesce). */
  readonly changed = new Emitter<void>();
  /** One aggregated hits snapshot about once a second, while hits come in. */
  readonly hitsChanged = new Emitter<HitsSnapshot>();
  readonly traffic: TrafficGenerator;
  /** Each image the current (or last) start pulls or builds, with its progress. */
  readonly images = new ProgressBoard();
  private assembled: AssembledEngine | undefined;
  private state: EngineStatus['state'] = 'starting';
  /** True while start() runs: the status then carries the images' progress. */
  private preparing = false;
  private readonly progress: ProgressReporter;

  constructor(
    private configuration: EngineConfig,
    progress: ProgressReporter = () => undefined,
  ) {
    this.traffic = new TrafficGenerator(() => `http://127.0.0.1:${this.lbPort}/`);
    this.timeline.subscribe(() => this.changed.emit());
    // Every front end sees the same figures: the host's reporter (a terminal's lines) and the board.
    this.progress = (message, image) => {
      if (image) this.images.update(image);
      progress(message, image);
    };
    this.images.changed.on(() => {
      if (this.preparing) this.changed.emit();
    });
  }

  get config(): EngineConfig {
    return this.configuration;
  }

  /** Takes a new configuration (new settings) for the next start; refused while running. */
  reconfigure(config: EngineConfig): void {
    if (this.assembled) throw new Error('The engine must be stopped before it is reconfigured.');
    this.configuration = config;
    this.changed.emit();
  }

  /** The running parts; undefined before start and after stop. */
  get parts(): EngineParts | undefined {
    return this.assembled?.parts;
  }

  get lbPort(): number {
    return this.assembled?.parts.lbPort ?? this.config.lbPort;
  }

  /** Brings the stack up (adopting one that runs), starts every part, and scales web to what was asked. */
  async start(options: { template?: StartTemplate } = {}): Promise<void> {
    this.state = 'starting';
    this.images.clear();
    this.preparing = true;
    let assembled: AssembledEngine;
    try {
      assembled = await assemble(
        this.config,
        {
          timeline: this.timeline,
          progress: this.progress,
          changed: this.changed,
          hits: this.hitsChanged,
        },
        options.template,
      );
    } finally {
      this.preparing = false;
    }
    this.assembled = assembled;
    const { scaler, retired } = assembled.parts;
    // Web containers retired for another image are started again, as many as ran.
    // With several engines this counts the web replicas placed on followed hosts too.
    const runningWeb = (await scaler.replicas.list()).filter((c) => c.running).length + retired.web;
    this.state = 'ready';
    await scaler.scale('web', this.config.webCount ?? Math.max(1, runningWeb));
    this.changed.emit();
  }

  /** Stops every part; the stack keeps running unless `down` is set. */
  async stop({ down = false }: { down?: boolean } = {}): Promise<void> {
    const assembled = this.assembled;
    if (!assembled) return;
    this.state = 'stopping';
    this.changed.emit();
    this.traffic.stop();
    await assembled.dispose({ down });
    this.assembled = undefined;
    this.state = 'stopped';
    this.changed.emit();
  }

  /**
   * Deregisters the web containers and removes the whole stack (only what it created); without a
   * running engine (a start that failed, say) whatever carries the stack's label is removed.
   */
  async removeStack(): Promise<number> {
    const parts = this.parts;
    if (parts) return removeStack(parts);
    const { docker } = await connectDocker(this.config.dockerHost ? { host: this.config.dockerHost } : {});
    return new Stack(docker, this.config).down();
  }

  status(): EngineStatus {
    const preparing = this.preparing ? this.images.list() : [];
    const status = this.statusView();
    return preparing.length > 0 ? { ...status, preparing } : status;
  }

  private statusView(): EngineStatus {
    const parts = this.parts;
    return engineStatusView({
      state: this.state,
      adopted: parts?.adopted ?? false,
      lbUrl: `http://127.0.0.1:${this.lbPort}`,
      consulManaged: !this.config.consulAddress,
      templateName: this.config.templatePath ?? 'nginx.ctmpl',
      maxInstances: this.config.maxInstances,
      stackProject: this.config.project,
      // Until the engine has connected, the address the user gave, or where it will look.
      dockerEndpoint: this.config.dockerHost ?? 'DOCKER_HOST, the Docker context or the default sockets',
      ...(parts
        ? {
            running: {
              docker: {
                endpoint: parts.connection.endpoint,
                version: parts.connection.engineVersion,
                source: parts.connection.source,
              },
              consulUrl: consulUrl(parts.consulEndpoint),
              ...(parts.consulEndpoints ? { consulUrls: parts.consulEndpoints.map(consulUrl) } : {}),
              registrator: parts.followed
                ? parts.followed.merged(parts.registrator.status())
                : parts.registrator.status(),
              lb: parts.lb.status(),
              template: parts.loop.status(),
              live: parts.loop.liveState().instanceIds,
              scaling: parts.scaler.progress(),
              composeScaling: parts.compose.progress(),
              timeline: this.timeline.recent(STATUS_TIMELINE_LENGTH),
              ...(parts.hits ? { hitsSource: parts.hits.source() } : {}),
              catalog: parts.catalog.snapshot(),
              cluster: parts.cluster.snapshot(),
              owner: ownerId(this.config.hostname),
              ...(parts.followed
                ? {
                    dockerHosts: parts.followed.views({
                      endpoint: parts.connection.endpoint,
                      connected: parts.registrator.status().docker.connected,
                    }),
                  }
                : {}),
            },
          }
        : {}),
    });
  }
}
