/**
 * The composition root: brings the stack up (adopting what runs) and starts every part in order:
 * Docker, the network and Consul, the registrator, the LB, the template loop, the scaler, the
 * stack guard and the hits pipeline. Each started part is pushed on an undo stack, so a start that
 * fails half-way stops exactly what it started (a retry never finds a second registrator).
 */
import type Consul from 'consul';
import type Dockerode from 'dockerode';
import { readFile } from 'node:fs/promises';
import type { Emitter, HitsSnapshot } from '../../contract/index.js';
import { ConsulLiveness } from './consul/consul-liveness.js';
import { CatalogWatch } from './consul/catalog-watch.js';
import { ClusterWatch } from './consul/cluster-watch.js';
import { ConsulServers } from './consul/consul-servers.js';
import { firstLiveConsul, parseConsulAddresses } from './consul/consul-addresses.js';
import { readConsulCa } from './consul/consul-tls.js';
import { LeftAgents, isThisEnginesOwner } from './consul/left-agents.js';
import { StrayCopies } from './consul/stray-copies.js';
import { ServerHeartbeat } from './consul/server-heartbeat.js';
import {
  callTimeout,
  consulUrl,
  createConsulClient,
  parseConsulAddress,
  type ConsulEndpoint,
} from './consul/consul-connection.js';
import { connectDocker, type DockerConnection } from './docker/docker-connection.js';
import type { EngineConfig } from './engine-config.js';
import { ComposeScaling } from './compose/compose-scaling.js';
import { UserError, errorMessage } from './errors.js';
import { DiscoverySteps } from './hits/discovery-steps.js';
import { HitsService } from './hits/hits-service.js';
import { registeredWeb } from './hits/registered-web.js';
import { LbController } from './lb/lb-controller.js';
import { LbNetworks } from './lb/lb-networks.js';
import { Reachability } from './lb/lb-reachability.js';
import type { StartTemplate } from './builtin-templates.js';
import { assetPath } from './package-root.js';
import { FollowedHosts, LOCAL_HOST_NAME } from './multi/followed-hosts.js';
import { HOST_META_KEY } from './multi/host-meta.js';
import { Registrator } from './registrator/registrator.js';
import { VanishGuard } from './render/vanish-guard.js';
import { ConsulTemplateData } from './render/consul-data.js';
import { TemplateLoop } from './render/template-loop.js';
import { Scaler } from './scaler.js';
import type { ProgressReporter } from './stack/images.js';
import { retireChanged, type Retired } from './stack/stack-drift.js';
import { StackGuard } from './stack/stack-guard.js';
import { Stack } from './stack/stack.js';
import { holdWebUntilListening } from './stack/web-readiness.js';
import { EarlyProbes } from './lb/early-probes.js';
import { WebReplicas } from './stack/web-replicas.js';
import { LocalWeb } from './stack/local-web.js';
import { AllRegistrations } from './multi/all-registrations.js';
import { followedWeb } from './multi/followed-web.js';
import type { RegistrationSource } from './registration-source.js';
import { compileTemplate, type CompiledTemplate } from './template/index.js';
import type { Timeline } from './timeline.js';
import { UndoStack } from './undo-stack.js';

export interface EngineParts {
  connection: DockerConnection;
  stack: Stack;
  consul: Consul;
  consulEndpoint: ConsulEndpoint;
  /** Every server the engine may use, in order, when it has several (consulEndpoint is the one in use). */
  consulEndpoints?: readonly ConsulEndpoint[];
  liveness: ConsulLiveness;
  registrator: Registrator;
  lb: LbController;
  lbPort: number;
  data: ConsulTemplateData;
  loop: TemplateLoop;
  /** Scales the demo's web. */
  scaler: Scaler;
  /** The registrations the web scaler follows: the local registrator's, and every followed host's. */
  registrations: RegistrationSource;
  /** Scales Compose services (`<project>/<service>`). */
  compose: ComposeScaling;
  guard: StackGuard;
  steps: DiscoverySteps;
  hits: HitsService | undefined;
  /** True when a stack from an earlier run was found running and taken over. */
  adopted: boolean;
  /** Every service in Consul, with its health, for the status. */
  catalog: CatalogWatch;
  /** The Consul cluster's members and leader, for the status. */
  cluster: ClusterWatch;
  /** What was made again because the settings changed (stack-drift.ts). */
  retired: Retired;
  /** Several engines: the Docker hosts followed besides the local one (absent with one engine). */
  followed?: FollowedHosts;
}

export interface AssembledEngine {
  parts: EngineParts;
  /** Stops every part, newest first; `down` also removes the stack (after the loops, before the registrator). */
  dispose(options: { down: boolean }): Promise<void>;
}

/** Where the parts report to the engine that holds them. */
export interface AssemblyContext {
  timeline: Timeline;
  progress: ProgressReporter;
  /** Anything in the status may have changed. */
  changed: Emitter<void>;
  hits: Emitter<HitsSnapshot>;
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

/** A template given as text (a kept or built-in one): a compile error is the start's error. */
function compileStartTemplate(template: StartTemplate): CompiledTemplate {
  try {
    return compileTemplate(template.source, template.name);
  } catch (error) {
    throw new UserError(`The template ${template.name} has an error: ${errorMessage(error)}`, 'bad-template');
  }
}

/** `template`, when given, is used instead of config.templatePath (the service resolves the kept one). */
export async function assemble(
  config: EngineConfig,
  context: AssemblyContext,
  startTemplate?: StartTemplate,
): Promise<AssembledEngine> {
  const { timeline, progress, changed } = context;
  // Two stacks: the loops stop before `down` removes the stack, the registrator after it (it deregisters).
  const registration = new UndoStack();
  const loops = new UndoStack();
  try {
    // The user's Consul: every address read, and one answering, before anything is touched.
    const trust =
      config.consulAddress && config.consulCaFile ? await readConsulCa(config.consulCaFile) : undefined;
    const userEndpoints = config.consulAddress
      ? parseConsulAddresses(config.consulAddress, config.consulToken, trust)
      : undefined;
    const userFirst = userEndpoints ? await firstLiveConsul(userEndpoints) : 0;
    const connection = await connectDocker(config.dockerHost ? { host: config.dockerHost } : {});
    const docker: Dockerode = connection.docker;
    const template = startTemplate
      ? compileStartTemplate(startTemplate)
      : await loadTemplate(config.templatePath);
    const stack = new Stack(docker, config, progress);
    const adopted = (await stack.containers()).some((c) => c.running);
    // New settings (a port, an image): only the containers they concern are made again.
    const retired = await retireChanged(stack, config, { managedConsul: !config.consulAddress, progress });

    await stack.preflight({ managedConsul: !config.consulAddress });
    const network = await stack.ensureNetwork();
    const managed = config.consulAddress ? undefined : await stack.ensureConsul();
    const firstEndpoint = userEndpoints
      ? userEndpoints[userFirst]!
      : parseConsulAddress(`127.0.0.1:${managed!.port}`);
    const consul = createConsulClient(firstEndpoint);
    progress(`waiting for Consul at ${consulUrl(firstEndpoint)}`);
    await waitForConsul(consul, consulUrl(firstEndpoint), 30_000);

    // A cluster: when the server in use stops answering, move to another (the status follows).
    const partsRef: { current?: EngineParts } = {};
    const serverEndpoints =
      userEndpoints && userEndpoints.length > 1
        ? userEndpoints
        : managed?.ports && managed.ports.length > 1
          ? managed.ports.map((port) => parseConsulAddress(`127.0.0.1:${port}`))
          : undefined;
    const registratorRef: { current?: Registrator } = {};
    const servers = serverEndpoints
      ? new ConsulServers(
          consul,
          serverEndpoints,
          (from, to) => {
            if (partsRef.current) partsRef.current.consulEndpoint = to;
            leftAgents?.moved(from, to);
            strayCopies?.moved();
            timeline.record({
              kind: 'warning',
              message: `Consul server ${consulUrl(from)} stopped answering; the engine moved to ${consulUrl(to)}`,
            });
          },
          userEndpoints ? userFirst : 0,
        )
      : undefined;
    // What the engine registered on a server it left is removed there once that server answers again.
    const leftAgents = servers
      ? new LeftAgents({
          current: () => servers.endpoint,
          ownsValue: (owner) => isThisEnginesOwner(owner, config.hostname),
          record: (event) => timeline.record(event),
          resync: () => void registratorRef.current?.resync().catch(() => undefined),
        })
      : undefined;
    if (leftAgents) registration.push('left Consul agents', () => leftAgents.stop());
    // Copies of ours that an agent leaving the cluster synced back into the catalog are removed there.
    const followedRef: { current?: FollowedHosts } = {};
    const strayCopies = servers
      ? new StrayCopies({
          current: () => servers.endpoint,
          serviceNames: () =>
            new Set(
              [
                ...(registratorRef.current?.status().services ?? []),
                ...(followedRef.current?.list().flatMap((host) => host.status()?.services ?? []) ?? []),
              ].map((service) => service.name),
            ),
          ownsValue: (owner) => isThisEnginesOwner(owner, config.hostname),
          record: (event) => timeline.record(event),
        })
      : undefined;
    if (strayCopies) registration.push('stray catalog copies', () => strayCopies.stop());
    // The user's list is used in the order given; the demo's own cluster starts on its leader.
    if (!userEndpoints) await servers?.preferLeader(2000);
    const consulEndpoint = servers?.endpoint ?? firstEndpoint;
    const liveness = new ConsulLiveness(consul, servers ? { servers } : {});
    registration.push('Consul liveness', () => liveness.stop());
    // The Compose replicas the engine starts are held until they listen, as its own web: a late-bound reference.
    const composeRef: { current?: ComposeScaling } = {};
    // The LB probes a held container the moment it listens (early-probes.ts): a late-bound reference.
    const earlyProbesRef: { current?: EarlyProbes } = {};
    const registrator = new Registrator(
      docker,
      consul,
      timeline,
      {
        hostname: config.hostname,
        mode: config.registration.mode,
        ...(config.registration.hostIp ? { hostIp: config.registration.hostIp } : {}),
        preferredNetworks: [network],
        ...(config.followedHosts?.length ? { extraMeta: { [HOST_META_KEY]: LOCAL_HOST_NAME } } : {}),
        beforeRegister: holdWebUntilListening(config.project, timeline, {
          alsoHold: (containerId) => composeRef.current?.takeHold(containerId) ?? false,
          onListening: (service) => earlyProbesRef.current?.send(service),
        }),
      },
      liveness,
    );
    registratorRef.current = registrator;
    registration.push('registrator', () => registrator.stop());
    await registrator.start();
    const followed = config.followedHosts?.length
      ? new FollowedHosts(config.followedHosts, {
          hostname: config.hostname,
          consul,
          liveness,
          timeline,
          changed: () => changed.emit(),
          beforeRegister: holdWebUntilListening(config.project, timeline),
        })
      : undefined;
    followedRef.current = followed;
    if (followed) {
      registration.push('followed Docker hosts', () => followed.stop());
      await followed.start();
    }

    const lbContainer = await stack.ensureLb();
    const lb = new LbController(lbContainer.container, timeline);
    loops.push('LB channel', () => lb.close());
    // The data source wakes the loop, and the loop reads the data source: a late-bound reference.
    const loopRef: { current?: TemplateLoop } = {};
    // Registrations of ours that leave Consul without our doing are put back, not rendered away.
    const vanishGuard = new VanishGuard({
      own: {
        keptIds: () => registrator.keptServiceIds(),
        onChange: (listener) => registrator.onChange(listener),
      },
      restore: () => void registrator.resync().catch(() => undefined),
      record: (event) => timeline.record(event),
    });
    const data = new ConsulTemplateData(
      consul,
      () => loopRef.current?.poke(),
      (message) => timeline.record({ kind: 'warning', message }),
      vanishGuard,
    );
    loops.push('template data', () => data.close());
    // The LB joins the networks of the backends it routes, and routes only those it reaches.
    const networks = new LbNetworks(docker, () => lb.containerId, network, timeline);
    loops.push('LB networks', () => networks.stop());
    const earlyProbes = new EarlyProbes(
      (targets) => lb.probe(targets),
      () => lb.containerId,
      timeline,
    );
    earlyProbesRef.current = earlyProbes;
    const reachability = new Reachability({
      early: earlyProbes,
      probe: (targets) => lb.probe(targets),
      place: (addresses) => networks.sync(addresses),
      lbId: () => lb.containerId,
      timeline,
      changed: () => loopRef.current?.poke(),
    });
    loops.push('reachability', () => reachability.stop());
    const loop = new TemplateLoop(template, data, lb, timeline, config.wait, reachability);
    loopRef.current = loop;
    loops.push('template loop', () => loop.stop());
    // Never render from a Consul that is away or has just lost its data (an empty upstream):
    // hold the last data until the registrator has put every registration back.
    liveness.subscribe({
      onUp: (reason) => {
        if (reason !== 'first-contact') data.pause();
        changed.emit();
      },
      onDown: () => {
        data.pause();
        changed.emit();
      },
    });
    registrator.onRestored(() => data.resume());
    liveness.start();
    // A server that hangs (rather than refusing connections) is noticed within a bounded time.
    const heartbeat = servers
      ? new ServerHeartbeat({
          get endpoint() {
            return servers.endpoint;
          },
          get isUp() {
            return liveness.isUp;
          },
          reportDown: (reason) => liveness.reportFailure(new Error(reason)),
        })
      : undefined;
    if (heartbeat) {
      registration.push('Consul heartbeat', () => heartbeat.stop());
      heartbeat.start();
    }
    loop.start();
    const catalog = new CatalogWatch(consul, () => changed.emit());
    loops.push('catalog watch', () => catalog.stop());
    catalog.start();
    const cluster = new ClusterWatch(
      consul,
      (event) => timeline.record(event),
      () => changed.emit(),
    );
    loops.push('cluster watch', () => cluster.stop());
    cluster.start();

    const scalerOptions = {
      maxInstances: config.maxInstances,
      drainTimeoutMs: config.drainTimeoutMs,
      ...(config.drain === false ? { drain: false } : {}),
    };
    // With several engines the demo's web may also run on followed hosts (scale --host).
    const registrations = followed ? new AllRegistrations(registrator, followed) : registrator;
    const webReplicas = new WebReplicas(
      new LocalWeb(stack),
      followed ? followedWeb(followed, { local: docker, config, timeline, stack }) : undefined,
    );
    const scaler = new Scaler(webReplicas, registrations, loop, lb, timeline, scalerOptions);
    loops.push('scaler', () => scaler.idle().catch(() => undefined));
    const compose = new ComposeScaling({ docker, registrator, loop, lb, timeline }, scalerOptions);
    composeRef.current = compose;
    loops.push('Compose scaling', () => compose.idle());
    const guard = new StackGuard(docker, stack, lb, loop, scaler, timeline);
    loops.push('stack guard', () => guard.stop());
    await guard.start();
    const steps = new DiscoverySteps(
      timeline,
      (id) => registrator.status().services.find((s) => s.containerId === id)?.containerName,
    );
    loops.push('discovery steps', () => steps.close());
    const hits = await startHits(
      config,
      docker,
      lbContainer.container,
      registrator,
      followed,
      steps,
      context,
    );
    if (hits) loops.push('hits', () => hits.stop());

    registrator.onChange(() => changed.emit());
    loop.onLive((state) => {
      steps.onLive(state);
      changed.emit();
    });
    scaler.onProgress(() => changed.emit());
    compose.onProgress(() => changed.emit());

    const parts: EngineParts = {
      connection,
      stack,
      consul,
      consulEndpoint,
      ...(serverEndpoints ? { consulEndpoints: serverEndpoints } : {}),
      liveness,
      registrator,
      lb,
      lbPort: lbContainer.port,
      data,
      loop,
      scaler,
      registrations,
      compose,
      guard,
      steps,
      hits,
      adopted,
      catalog,
      cluster,
      retired,
      ...(followed ? { followed } : {}),
    };
    partsRef.current = parts;
    return {
      parts,
      dispose: async ({ down }) => {
        await loops.run();
        if (down) await removeStack(parts);
        await registration.run();
      },
    };
  } catch (error) {
    await loops.run();
    await registration.run();
    throw error;
  }
}

/** Deregisters the web containers and removes the whole stack (only what it created). */
export async function removeStack(parts: EngineParts): Promise<number> {
  const { stack, registrator, guard, scaler, registrations } = parts;
  // What follows removes the LB and the web containers on purpose: nothing may bring them back.
  await guard.stop();
  for (const web of await stack.containers('web')) await registrator.drain(web.id).catch(() => []);
  // Web replicas placed on followed hosts (the local ones go with the stack below).
  const placed = (await scaler.replicas.list()).filter((r) => r.host && r.host !== LOCAL_HOST_NAME);
  for (const web of placed) {
    await registrations.drain(web.id, web.host).catch(() => []);
    await scaler.replicas.remove(web, 0).catch(() => undefined);
  }
  return placed.length + (await stack.down());
}

/** Follows the web logs (on every host) and the LB's access log; without it the demo still works, so a failure only warns. */
async function startHits(
  config: EngineConfig,
  docker: Dockerode,
  lbContainer: Dockerode.Container,
  registrator: Registrator,
  followed: FollowedHosts | undefined,
  steps: DiscoverySteps,
  context: AssemblyContext,
): Promise<HitsService | undefined> {
  const hits = new HitsService({
    docker,
    project: config.project,
    lbContainer,
    backends: registeredWeb(registrator, followed),
    ...(followed
      ? {
          followedHosts: followed,
          localHost: LOCAL_HOST_NAME,
          onFollowError: (host: string, message: string) =>
            context.timeline.record({
              kind: 'warning',
              message: `hits on Docker host ${host} are not counted for now, its web logs could not be followed (${message}); trying again`,
            }),
        }
      : {}),
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
    context.timeline.record({ kind: 'warning', message: `hits are not counted: ${errorMessage(error)}` });
    await hits.stop().catch(() => undefined);
    return undefined;
  }
  hits.subscribe((snapshot) => context.hits.emit(snapshot));
  return hits;
}
