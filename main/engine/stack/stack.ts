/**
 * The demo stack on the user's Docker: a network, a Consul dev server, the
 * nginx LB and the web containers. Everything carries the stack label, so
 * that `up` adopts what is already there (idempotent) and `down` removes
 * exactly what the stack created. Every published port binds to 127.0.0.1.
 */
import type Dockerode from 'dockerode';
import type { PortSetting } from '../../../contract/index.js';
import { tarArchive } from '../docker/archive.js';
import { UserError, errorMessage } from '../errors.js';
import {
  APPLY_SCRIPT,
  CHECK_SCRIPT,
  CHANNEL_LABEL,
  CHANNEL_VERSION,
  DEFAULT_RELOAD_TIMEOUT_MS,
  LB_DIR,
  LIVE_CONF,
  SUPERVISOR_COMMAND,
  SUPERVISOR_SCRIPT,
  applyScript,
  checkScript,
  mainConfig,
  supervisorScript,
} from '../lb/nginx-files.js';
import { ensureConsulCluster } from './consul-cluster.js';
import { buildSimpleWeb, ensureImage, simpleWebIsStale, type ProgressReporter } from './images.js';
import { assertPortFree, portInUse } from './port-check.js';
import {
  DEFAULT_WEB_IMAGE,
  INDEX_LABEL,
  ROLE_LABEL,
  STACK_LABEL,
  roleLabels,
  stackNames,
  type StackConfig,
  type StackRole,
} from './stack-config.js';

export interface StackContainer {
  id: string;
  name: string;
  role: StackRole;
  index?: number;
  running: boolean;
  /** Host port published for the role's main port, when there is one. */
  hostPort?: number;
}

/** Served until the first render is validated and applied: never user content unchecked. */
/** Above the default (0) of every other network the LB joins. GwPriority is newer than @types/dockerode. */
const gatewayEndpoint: Dockerode.EndpointSettings & { GwPriority: number } = { GwPriority: 100 };

export const BOOTSTRAP_UPSTREAM = [
  '# Discovery Tray: waiting for the first render of the template.',
  'server {',
  '  listen 80 default_server;',
  '  location / { return 503 "discovery-tray: waiting for the first render of the template\\n"; }',
  '}',
  '',
].join('\n');

export class Stack {
  /** `network` is the adopted network's name once ensureNetwork() has run (older stacks kept theirs). */
  readonly names: ReturnType<typeof stackNames>;
  private webImageChecked = false;

  constructor(
    readonly docker: Dockerode,
    readonly config: StackConfig,
    private readonly progress: ProgressReporter = () => undefined,
  ) {
    this.names = stackNames(config);
  }

  /** Every container of this stack, running or not. */
  async containers(role?: StackRole): Promise<StackContainer[]> {
    const filters = {
      label: [`${STACK_LABEL}=${this.config.project}`, ...(role ? [`${ROLE_LABEL}=${role}`] : [])],
    };
    const list = await this.docker.listContainers({ all: true, filters });
    return list.map((c) => {
      const containerRole = c.Labels[ROLE_LABEL] as StackRole;
      const index = c.Labels[INDEX_LABEL];
      const published = c.Ports.find((p) => p.PublicPort && (p.PrivatePort === 80 || p.PrivatePort === 8500));
      return {
        id: c.Id,
        name: (c.Names[0] ?? '').replace(/^\//, ''),
        role: containerRole,
        ...(index ? { index: Number(index) } : {}),
        running: c.State === 'running',
        ...(published?.PublicPort ? { hostPort: published.PublicPort } : {}),
      };
    });
  }

  /**
   * Before anything is created: the ports of the parts that do not exist yet
   * must be free, so that a port in use changes nothing at all.
   */
  async preflight(options: { managedConsul: boolean }): Promise<void> {
    const existing = await this.containers();
    if (!existing.some((c) => c.role === 'lb'))
      await assertPortFree('lbPort', this.config.lbPort, 'load balancer');
    if (options.managedConsul && !existing.some((c) => c.role === 'consul')) {
      await assertPortFree('consulPort', this.config.consulPort, 'Consul UI and API');
    }
  }

  async ensureNetwork(): Promise<string> {
    // A stack made by an earlier version has its network under the project's plain name: keep it.
    const ours = (
      await this.docker.listNetworks({ filters: { label: [`${STACK_LABEL}=${this.config.project}`] } })
    )
      .filter((n) => n.Labels?.[STACK_LABEL] === this.config.project)
      .sort((a, b) => a.Name.localeCompare(b.Name));
    if (ours[0]) {
      this.names.network = ours[0].Name;
      return ours[0].Name;
    }
    const name = this.names.network;
    const existing = await this.docker.listNetworks({ filters: { name: [name] } });
    const exact = existing.find((n) => n.Name === name);
    if (exact) {
      if (exact.Labels?.[STACK_LABEL] !== this.config.project) {
        throw new UserError(
          `A Docker network named ${name} exists but was not made by Discovery Tray. Remove it (docker network rm ${name}) or pick another project name.`,
          'network-conflict',
        );
      }
      return name;
    }
    await this.docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      Labels: { [STACK_LABEL]: this.config.project },
    });
    return name;
  }

  /** The demo Consul dev server, adopted or created; resolves with its host port. */
  async ensureConsul(): Promise<{ port: number; adopted: boolean; ports?: number[] }> {
    if ((this.config.consulServers ?? 1) > 1 || (await this.containers('consul')).length > 1) {
      const cluster = await ensureConsulCluster(
        this.docker,
        this.config,
        this.names.network,
        await this.containers('consul'),
        this.progress,
      );
      // The engine talks to the first server; every server answers for the whole cluster.
      return { port: cluster.ports[0]!, adopted: cluster.adopted, ports: cluster.ports };
    }
    const [existing] = await this.containers('consul');
    if (existing) {
      if (!existing.running) await this.docker.getContainer(existing.id).start();
      const port = existing.hostPort ?? (await this.publishedPort(existing.id, '8500/tcp'));
      return { port, adopted: true };
    }
    await assertPortFree('consulPort', this.config.consulPort, 'Consul UI and API');
    await ensureImage(this.docker, this.config.images.consul, '--consul-image', this.progress);
    this.progress(`starting Consul on 127.0.0.1:${this.config.consulPort}`);
    const container = await this.create(
      {
        name: this.names.consul,
        Image: this.config.images.consul,
        Cmd: ['agent', '-dev', '-client', '0.0.0.0'],
        Labels: roleLabels(this.config, 'consul', { SERVICE_IGNORE: 'true' }),
        ExposedPorts: { '8500/tcp': {} },
        HostConfig: {
          NetworkMode: this.names.network,
          PortBindings: { '8500/tcp': [{ HostIp: '127.0.0.1', HostPort: String(this.config.consulPort) }] },
        },
      },
      'consulPort',
      this.config.consulPort,
    );
    await this.start(container, 'consulPort', this.config.consulPort);
    return { port: this.config.consulPort, adopted: false };
  }

  /** The nginx LB, adopted or created with a bootstrap config (the first render is applied through the checked path). */
  async ensureLb(): Promise<{ container: Dockerode.Container; port: number; adopted: boolean }> {
    const [existing] = await this.containers('lb');
    if (existing) {
      const container = this.docker.getContainer(existing.id);
      if (!existing.running) await container.start();
      const port = existing.hostPort ?? (await this.publishedPort(existing.id, '80/tcp'));
      return { container, port, adopted: true };
    }
    return { container: await this.createLb(), port: this.config.lbPort, adopted: false };
  }

  async createLb(): Promise<Dockerode.Container> {
    await assertPortFree('lbPort', this.config.lbPort, 'load balancer');
    await ensureImage(this.docker, this.config.images.lb, '--lb-image', this.progress);
    this.progress(`starting the nginx LB on 127.0.0.1:${this.config.lbPort}`);
    const container = await this.create(
      {
        name: this.names.lb,
        Image: this.config.images.lb,
        Cmd: SUPERVISOR_COMMAND,
        Labels: roleLabels(this.config, 'lb', { SERVICE_IGNORE: 'true', [CHANNEL_LABEL]: CHANNEL_VERSION }),
        // The engine sends configs to the supervisor's stdin; it stays open between attaches.
        OpenStdin: true,
        StdinOnce: false,
        ExposedPorts: { '80/tcp': {} },
        StopSignal: 'SIGQUIT',
        // Docker 28+ (API 1.48): the stack's network stays the LB's gateway, whatever the names of the
        // networks it joins later (older engines ignore the field; the network's name does it there).
        NetworkingConfig: { EndpointsConfig: { [this.names.network]: gatewayEndpoint } },
        HostConfig: {
          NetworkMode: this.names.network,
          PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(this.config.lbPort) }] },
        },
      },
      'lbPort',
      this.config.lbPort,
    );
    const dir = LB_DIR.replace(/^\/etc\//, '');
    const archive = await tarArchive([
      { path: `${dir}/${LIVE_CONF.split('/').pop()}`, content: mainConfig('live') },
      { path: `${dir}/candidate.conf`, content: mainConfig('candidate') },
      { path: `${dir}/check.conf`, content: mainConfig('check') },
      { path: `${dir}/live/upstream.conf`, content: BOOTSTRAP_UPSTREAM },
      { path: `${dir}/candidate/upstream.conf`, content: BOOTSTRAP_UPSTREAM },
      { path: `${dir}/check/upstream.conf`, content: BOOTSTRAP_UPSTREAM },
      { path: relativeToEtc(SUPERVISOR_SCRIPT), content: supervisorScript() },
      { path: relativeToEtc(APPLY_SCRIPT), content: applyScript(DEFAULT_RELOAD_TIMEOUT_MS, 'escaped') },
      { path: relativeToEtc(CHECK_SCRIPT), content: checkScript('escaped') },
    ]);
    await container.putArchive(archive, { path: '/etc' });
    await this.start(container, 'lbPort', this.config.lbPort);
    return container;
  }

  async ensureWebImage(): Promise<void> {
    // Checked once per engine run: a scale-up should not pay for image inspection every time.
    if (this.webImageChecked) return;
    const { web, webBase } = this.config.images;
    await ensureImage(
      this.docker,
      web,
      '--web-image',
      this.progress,
      web === DEFAULT_WEB_IMAGE ? () => buildSimpleWeb(this.docker, web, webBase, this.progress) : undefined,
      web === DEFAULT_WEB_IMAGE ? () => simpleWebIsStale(this.docker, web) : undefined,
    );
    this.webImageChecked = true;
  }

  /** Creates and starts `count` web containers in parallel, on the lowest free indices. */
  async addWeb(count: number): Promise<Dockerode.Container[]> {
    if (count <= 0) return [];
    const taken = new Set((await this.containers('web')).map((c) => c.index));
    const indices: number[] = [];
    for (let i = 1; indices.length < count; i++) if (!taken.has(i)) indices.push(i);
    return this.addWebAt(indices);
  }

  /** Creates and starts web containers with these indices (free ones: several hosts share the numbering). */
  addWebAt(indices: readonly number[]): Promise<Dockerode.Container[]> {
    return Promise.all(
      indices.map(async (index) => {
        const container = await this.create({
          name: this.names.web(index),
          Image: this.config.images.web,
          Env: ['SERVICE_NAME=web', 'SERVICE_TAGS=backend'],
          Labels: roleLabels(this.config, 'web', { [INDEX_LABEL]: String(index) }),
          HostConfig: { NetworkMode: this.names.network },
        });
        await container.start();
        return container;
      }),
    );
  }

  async removeContainer(id: string, stopTimeoutSeconds = 0): Promise<void> {
    const container = this.docker.getContainer(id);
    try {
      if (stopTimeoutSeconds > 0) await container.stop({ t: stopTimeoutSeconds }).catch(() => undefined);
      await container.remove({ force: true });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }

  /** Removes every container and the network of this stack, and nothing else. */
  async down(): Promise<number> {
    const all = await this.containers();
    // Web first, so the LB never routes to a half-removed backend.
    const order = [...all.filter((c) => c.role === 'web'), ...all.filter((c) => c.role !== 'web')];
    for (const container of order) await this.removeContainer(container.id);
    const networks = await this.docker.listNetworks({
      filters: { label: [`${STACK_LABEL}=${this.config.project}`] },
    });
    for (const network of networks)
      await this.docker
        .getNetwork(network.Id)
        .remove()
        .catch(() => undefined);
    return all.length;
  }

  private async publishedPort(id: string, port: string): Promise<number> {
    const info = await this.docker.getContainer(id).inspect();
    const bindings = info.HostConfig.PortBindings as
      Record<string, { HostPort?: string }[] | undefined> | undefined;
    const binding = info.NetworkSettings.Ports[port]?.[0]?.HostPort ?? bindings?.[port]?.[0]?.HostPort;
    if (!binding)
      throw new UserError(
        `The stack container ${info.Name} publishes no ${port}; run discovery-tray down and up again.`,
        'stack-damaged',
      );
    return Number(binding);
  }

  private async create(
    options: Dockerode.ContainerCreateOptions,
    setting?: PortSetting,
    port?: number,
  ): Promise<Dockerode.Container> {
    try {
      return await this.docker.createContainer(options);
    } catch (error) {
      throw await this.explain(error, setting, port);
    }
  }

  private async start(container: Dockerode.Container, setting: PortSetting, port: number): Promise<void> {
    try {
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw await this.explain(error, setting, port);
    }
  }

  private async explain(error: unknown, setting?: PortSetting, port?: number): Promise<Error> {
    const message = errorMessage(error);
    if (setting && port && /port is already allocated|address already in use/i.test(message)) {
      return portInUse(setting, port, setting === 'lbPort' ? 'load balancer' : 'Consul UI and API');
    }
    if (/Conflict.*name/i.test(message)) {
      return new UserError(
        `${message}. A container with that name exists outside this stack: remove or rename it.`,
        'name-conflict',
      );
    }
    return error instanceof Error ? error : new Error(message);
  }
}

function relativeToEtc(path: string): string {
  return path.replace(/^\/etc\//, '');
}
