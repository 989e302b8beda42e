/**
 * The composition root and the one API every front end uses (CLI, control
 * server, Electron): it wires Docker, the stack, Consul, the registrator, the
 * template loop, the LB and the scaler, and reports their state as one
 * EngineStatus. Plain Node: no Electron here.
 */
import type Consul from 'consul';
import type Dockerode from 'dockerode';
import { readFile } from 'node:fs/promises';
import type {
  EngineStatus,
  HitsSnapshot,
  InstanceView,
  ScaleResponse,
  TrafficStatus,
} from '../../preload/api.js';
import { ConsulLiveness } from './consul/consul-liveness.js';
import {
  callTimeout,
  consulUrl,
  createConsulClient,
  parseConsulAddress,
  type ConsulEndpoint,
} from './consul/consul-connection.js';
import { connectDocker, type DockerConnection } from './docker/docker-connection.js';
import type { EngineConfig } from './engine-config.js';
import { UserError, errorMessage } from './errors.js';
import { DiscoverySteps } from './hits/discovery-steps.js';
import { HitsService, type WebBackend } from './hits/hits-service.js';
import { LbController } from './lb/lb-controller.js';
import { assetPath } from './package-root.js';
import { Registrator } from './registrator/registrator.js';
import { ConsulTemplateData } from './render/consul-data.js';
import { TemplateLoop } from './render/template-loop.js';
import { StackGuard } from './stack/stack-guard.js';
import { holdWebUntilListening } from './stack/web-readiness.js';
import { Scaler } from './scaler.js';
import type { ProgressReporter } from './stack/images.js';
import { Stack } from './stack/stack.js';
import { compileTemplate, type CompiledTemplate } from './template/index.js';
import { Timeline } from './timeline.js';
import { TrafficGenerator } from './traffic/traffic-generator.js';

/** How many recent timeline events `status()` carries. */
export const STATUS_TIMELINE_LENGTH = 100;

export interface EngineParts {
  connection: DockerConnection;
  stack: Stack;
  consul: Consul;
  consulEndpoint: ConsulEndpoint;
  liveness: ConsulLiveness;
  registrator: Registrator;
  lb: LbController;
  data: ConsulTemplateData;
  loop: TemplateLoop;
  scaler: Scaler;
  guard: StackGuard;
  steps: DiscoverySteps;
  hits: HitsService | undefined;
}

export async function loadTemplate(path: string | undefined): Promise<CompiledTemplate> {
  const file = path ?? assetPath('templates', 'nginx.ctmpl');
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `Cannot read the template ${file}: ${errorMessage(error)}. Check the path given to --template.`,
      'bad-template',
    );
  }
  try {
    return compileTemplate(source, path ?? 'nginx.ctmpl');
  } catch (error) {
    throw new UserError(`The template ${file} has an error: ${errorMessage(error)}`, 'bad-template');
  }
}

async function waitForConsul(consul: Consul, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const leader = await consul.status.leader(callTimeout(1000));
      if (leader) return;
      last = 'no leader yet';
    } catch (error) {
      last = errorMessage(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new UserError(
    `Consul at ${url} did not become ready in ${timeoutMs / 1000} s (${last}).`,
    'consul-unavailable',
  );
}

export class Engine {
  readonly timeline = new Timeline();
  private parts: EngineParts | undefined;
  private state: EngineStatus['state'] = 'starting';
  private adopted = false;
  private readonly listeners = new Set<() => void>();
  private lbPort: number;
  private readonly hitsListeners = new Set<(snapshot: HitsSnapshot) => void>();
  private readonly trafficGenerator: TrafficGenerator;

  constructor(
    readonly config: EngineConfig,
    private readonly progress: ProgressReporter = () => undefined,
  ) {
    this.lbPort = config.lbPort;
    this.trafficGenerator = new TrafficGenerator(() => {
      if (this.state !== 'ready') throw new UserError('The engine is not running yet.', 'not-ready');
      return `http://127.0.0.1:${this.lbPort}/`;
    });
  }

  /** Brings the stack up (adopting one that runs) and starts every loop. */
  async start(): Promise<void> {
    const connection = await connectDocker(
      this.config.dockerSocket ? { socketPath: this.config.dockerSocket } : {},
    );
    const docker: Dockerode = connection.docker;
    const template = await loadTemplate(this.config.templatePath);
    const stack = new Stack(docker, this.config, this.progress);
    const before = await stack.containers();
    this.adopted = before.some((c) => c.running);

    await stack.preflight({ managedConsul: !this.config.consulAddress });
    const network = await stack.ensureNetwork();
    let consulEndpoint: ConsulEndpoint;
    if (this.config.consulAddress) {
      consulEndpoint = parseConsulAddress(this.config.consulAddress, this.config.consulToken);
    } else {
      const { port } = await stack.ensureConsul();
      consulEndpoint = parseConsulAddress(`127.0.0.1:${port}`);
    }
    const consul = createConsulClient(consulEndpoint);
    this.progress(`waiting for Consul at ${consulUrl(consulEndpoint)}`);
    await waitForConsul(consul, consulUrl(consulEndpoint), 30_000);

    const liveness = new ConsulLiveness(consul);
    const registrator = new Registrator(
      docker,
      consul,
      this.timeline,
      {
        hostname: this.config.hostname,
        mode: 'internal',
        preferredNetworks: [network],
        beforeRegister: holdWebUntilListening(this.config.project, this.timeline),
      },
      liveness,
    );
    await registrator.start();

    const lbContainer = await stack.ensureLb();
    this.lbPort = lbContainer.port;
    const lb = new LbController(lbContainer.container, this.timeline);
    // The data source wakes the loop, and the loop reads the data source: a late-bound reference.
    const loopRef: { current?: TemplateLoop } = {};
    const data = new ConsulTemplateData(
      consul,
      () => loopRef.current?.poke(),
      (message) => this.timeline.record({ kind: 'warning', message }),
    );
    const loop = new TemplateLoop(template, data, lb, this.timeline, this.config.wait);
    loopRef.current = loop;
    // Never render from a Consul that is away or has just lost its data (an empty upstream):
    // hold the last data until the registrator has put every registration back.
    liveness.subscribe({
      onUp: (reason) => {
        if (reason !== 'first-contact') data.pause();
        this.emit();
      },
      onDown: () => {
        data.pause();
        this.emit();
      },
    });
    registrator.onRestored(() => data.resume());
    liveness.start();
    loop.start();

    const scaler = new Scaler(stack, registrator, loop, lb, this.timeline, {
      maxInstances: this.config.maxInstances,
      drainTimeoutMs: this.config.drainTimeoutMs,
      ...(this.config.drain === false ? { drain: false } : {}),
    });
    const guard = new StackGuard(connection.docker, stack, lb, loop, scaler, this.timeline);
    await guard.start();
    const steps = new DiscoverySteps(
      this.timeline,
      (id) => registrator.status().services.find((s) => s.containerId === id)?.containerName,
    );
    const hits = await this.startHits(docker, lbContainer.container, registrator, steps);
    this.parts = {
      connection,
      stack,
      consul,
      consulEndpoint,
      liveness,
      registrator,
      lb,
      data,
      loop,
      scaler,
      guard,
      steps,
      hits,
    };
    registrator.onChange(() => this.emit());
    // A refused config, a template error or a reload changes what status() says; subscribers batch.
    this.timeline.subscribe(() => this.emit());
    loop.onLive((state) => {
      steps.onLive(state);
      this.emit();
    });
    scaler.onProgress(() => this.emit());

    const runningWeb = (await stack.containers('web')).filter((c) => c.running).length;
    const wanted = this.config.webCount ?? Math.max(1, runningWeb);
    this.state = 'ready';
    await scaler.scale('web', wanted);
    this.emit();
  }

  /** Follows the web logs and the LB's access log; without it the demo still works, so a failure only warns. */
  private async startHits(
    docker: Dockerode,
    lbContainer: Dockerode.Container,
    registrator: Registrator,
    steps: DiscoverySteps,
  ): Promise<HitsService | undefined> {
    const webBackends = (): WebBackend[] =>
      registrator
        .status()
        .services.filter((s) => s.name === 'web')
        .map((s) => ({
          containerId: s.containerId,
          containerName: s.containerName,
          address: s.address,
          port: s.port,
        }));
    const hits = new HitsService({
      docker,
      project: this.config.project,
      lbContainer,
      backends: webBackends,
      onFirstRequest: (backend, atMs) =>
        steps.firstRequest(
          backend.containerId,
          backend.containerName,
          `${backend.address}:${backend.port}`,
          atMs,
        ),
    });
    try {
      await hits.start();
    } catch (error) {
      this.timeline.record({ kind: 'warning', message: `hits are not counted: ${errorMessage(error)}` });
      await hits.stop().catch(() => undefined);
      return undefined;
    }
    hits.subscribe((snapshot) => {
      for (const listener of this.hitsListeners) listener(snapshot);
    });
    return hits;
  }

  /** The latest hits per backend (empty until the engine runs). */
  hits(): HitsSnapshot {
    return this.parts?.hits?.snapshot() ?? { at: Date.now(), source: 'web-logs', backends: [], recent: [] };
  }

  /** One aggregated snapshot about once a second, when something changed. */
  onHits(listener: (snapshot: HitsSnapshot) => void): () => void {
    this.hitsListeners.add(listener);
    return () => this.hitsListeners.delete(listener);
  }

  /** Open log streams of the hits pipeline (web containers, LB): for leak checks. */
  openLogStreams(): { web: number; lb: number } {
    return this.parts?.hits?.openLogStreams() ?? { web: 0, lb: 0 };
  }

  traffic(): TrafficStatus {
    return this.trafficGenerator.status();
  }

  /** Starts the traffic generator through the LB; a bad request is refused and nothing changes. */
  startTraffic(request: unknown): TrafficStatus {
    return this.trafficGenerator.start(request);
  }

  stopTraffic(): TrafficStatus {
    return this.trafficGenerator.stop();
  }

  /** Called when the generator starts or stops (poll traffic() for the counts while it runs). */
  onTraffic(listener: () => void): () => void {
    return this.trafficGenerator.onChange(listener);
  }

  /** Resolves when the traffic generator has stopped and its last requests are back. */
  trafficIdle(): Promise<void> {
    return this.trafficGenerator.idle();
  }

  /** The demo on: web scaled to what was asked for, at least 1. */
  async startDemo(): Promise<EngineStatus> {
    const desired = this.started.scaler.desiredCount ?? 0;
    await this.scale('web', Math.max(1, desired));
    return this.status();
  }

  /** The demo off: web scaled to 0 (Consul and the LB stay up). */
  async stopDemo(): Promise<EngineStatus> {
    this.trafficGenerator.stop();
    await this.scale('web', 0);
    return this.status();
  }

  private get started(): EngineParts {
    if (!this.parts) throw new UserError('The engine is not running yet.', 'not-ready');
    return this.parts;
  }

  scale(service: unknown, count: unknown): Promise<ScaleResponse> {
    return this.started.scaler.scale(service, count);
  }

  /** Replaces the template text (a syntax error is refused and nothing changes). */
  setTemplate(source: string): void {
    try {
      this.started.loop.setTemplate(source);
    } catch (error) {
      throw new UserError(`The template was not changed: ${errorMessage(error)}`, 'bad-template');
    }
  }

  templateSource(): string {
    return this.started.loop.templateSource;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): EngineStatus {
    const parts = this.parts;
    const base = `http://127.0.0.1:${this.lbPort}`;
    if (!parts) {
      return {
        state: this.state,
        adopted: this.adopted,
        docker: {
          connected: false,
          endpoint: this.config.dockerSocket ?? process.env.DOCKER_HOST ?? '/var/run/docker.sock',
        },
        consul: { connected: false, url: '', uiUrl: '', managed: !this.config.consulAddress },
        lb: { url: base, generation: 0 },
        template: { name: this.config.templatePath ?? 'nginx.ctmpl', dependencies: [] },
        services: [],
        scaling: { service: 'web', starting: [], draining: [], busy: false, max: this.config.maxInstances },
        warnings: [],
      };
    }
    const reg = parts.registrator.status();
    const lb = parts.lb.status();
    const tpl = parts.loop.status();
    const live = parts.loop.liveState().instanceIds;
    const progress = parts.scaler.progress();
    const url = consulUrl(parts.consulEndpoint);
    const byService = new Map<string, InstanceView[]>();
    for (const s of reg.services) {
      const view: InstanceView = {
        id: s.id,
        service: s.name,
        containerId: s.containerId,
        containerName: s.containerName,
        address: s.address,
        port: s.port,
        tags: s.tags,
        registeredAt: s.registeredAt,
        state: live.has(s.id) ? 'serving' : 'starting',
      };
      byService.set(s.name, [...(byService.get(s.name) ?? []), view]);
    }
    for (const name of progress.draining) {
      // Draining containers are deregistered already; show them until they are gone.
      const list = byService.get('web') ?? [];
      list.push({
        id: name,
        service: 'web',
        containerId: '',
        containerName: name,
        address: '',
        port: 0,
        tags: [],
        registeredAt: 0,
        state: 'draining',
      });
      byService.set('web', list);
    }
    const services = [...byService.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, instances]) => ({
        name,
        ...(name === 'web' && progress.desired !== undefined ? { desired: progress.desired } : {}),
        running: instances.filter((i) => i.state !== 'draining').length,
        instances: instances.sort((a, b) => a.containerName.localeCompare(b.containerName)),
      }));
    if (!byService.has('web'))
      services.push({
        name: 'web',
        ...(progress.desired !== undefined ? { desired: progress.desired } : {}),
        running: 0,
        instances: [],
      });
    return {
      state: this.state,
      adopted: this.adopted,
      docker: {
        connected: reg.docker.connected,
        endpoint: parts.connection.endpoint,
        version: parts.connection.engineVersion,
        ...(reg.docker.error ? { error: reg.docker.error } : {}),
      },
      consul: {
        connected: reg.consul.connected,
        url,
        uiUrl: `${url}/ui/`,
        managed: !this.config.consulAddress,
        ...(reg.consul.error ? { error: reg.consul.error } : {}),
      },
      lb: {
        url: base,
        generation: lb.generation,
        ...(lb.config !== undefined ? { config: lb.config } : {}),
        ...(lb.previousConfig !== undefined ? { previousConfig: lb.previousConfig } : {}),
        ...(lb.appliedAt !== undefined ? { appliedAt: lb.appliedAt } : {}),
        ...(lb.lastError
          ? {
              lastError: {
                at: lb.lastError.at,
                message: lb.lastError.message,
                ...(lb.lastError.line !== undefined ? { line: lb.lastError.line } : {}),
                excerpt: lb.lastError.excerpt,
              },
            }
          : {}),
      },
      template: {
        name: tpl.templateName,
        dependencies: tpl.dependencies,
        ...(tpl.lastRenderAt !== undefined ? { lastRenderAt: tpl.lastRenderAt } : {}),
        ...(tpl.lastError ? { lastError: tpl.lastError } : {}),
      },
      services,
      scaling: {
        service: 'web',
        ...(progress.desired !== undefined ? { desired: progress.desired } : {}),
        starting: progress.starting,
        draining: progress.draining,
        busy: progress.busy,
        max: parts.scaler.maxInstances,
      },
      warnings: reg.warnings,
      timeline: this.timeline.list().slice(-STATUS_TIMELINE_LENGTH),
      ...(parts.hits ? { hitsSource: parts.hits.source() } : {}),
    };
  }

  /** Stops the loops; the stack keeps running unless `down` is set. */
  async stop({ down = false }: { down?: boolean } = {}): Promise<void> {
    if (!this.parts) return;
    this.state = 'stopping';
    this.emit();
    const { scaler, loop, data, liveness, registrator, guard, lb, hits, steps } = this.parts;
    this.trafficGenerator.stop();
    await guard.stop();
    await scaler.idle().catch(() => undefined);
    await hits?.stop().catch(() => undefined);
    steps.close();
    loop.stop();
    data.close();
    lb.close();
    if (down) await this.removeStack();
    liveness.stop();
    await registrator.stop();
    this.state = 'stopped';
    this.parts = undefined;
    this.emit();
  }

  /** Deregisters the web containers and removes the whole stack (only what it created). */
  async removeStack(): Promise<number> {
    const { stack, registrator, guard } = this.started;
    // What follows removes the LB and the web containers on purpose: nothing may bring them back.
    await guard.stop();
    for (const web of await stack.containers('web')) await registrator.drain(web.id).catch(() => []);
    return stack.down();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
