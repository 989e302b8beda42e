/**
 * The render pipeline alone, wired as the engine wires it: a Consul dev
 * server and the nginx LB of a test stack (real containers, ports on
 * 127.0.0.1), the Consul data source, the template loop and the LB
 * controller. No registrator and no web containers, so that tests can put
 * exactly the registrations and KV values they mean into Consul.
 */
import Dockerode from 'dockerode';
import { createConsulClient, parseConsulAddress } from '../../main/engine/consul/consul-connection.js';
import { LbController } from '../../main/engine/lb/lb-controller.js';
import { ConsulTemplateData } from '../../main/engine/render/consul-data.js';
import { TemplateLoop } from '../../main/engine/render/template-loop.js';
import { Stack } from '../../main/engine/stack/stack.js';
import { compileTemplate } from '../../main/engine/template/index.js';
import { Timeline } from '../../main/engine/timeline.js';
import { waitForConsulLeader } from './docker-fixtures.js';
import { removeTestStack, testEngineConfig } from './engine-fixture.js';
import { waitFor } from './wait.js';

export interface ServiceRegistration {
  ID: string;
  Name: string;
  Address?: string;
  Port?: number;
  Tags?: string[];
  Meta?: Record<string, string>;
}

export class RenderHarness {
  private constructor(
    readonly project: string,
    readonly consulUrl: string,
    readonly lbUrl: string,
    readonly lbContainer: Dockerode.Container,
    readonly lb: LbController,
    readonly data: ConsulTemplateData,
    readonly loop: TemplateLoop,
    readonly timeline: Timeline,
  ) {}

  /** `beforeLoop` runs once the LB container exists, before the loop's first render. */
  static async start(
    templateSource: string,
    options: { beforeLoop?: (lbContainer: Dockerode.Container) => Promise<void> } = {},
  ): Promise<RenderHarness> {
    const config = await testEngineConfig();
    const stack = new Stack(new Dockerode(), config);
    try {
      await stack.ensureNetwork();
      const { port } = await stack.ensureConsul();
      const consulUrl = `http://127.0.0.1:${port}`;
      await waitForConsulLeader(consulUrl);
      const container = await stack.createLb();
      const timeline = new Timeline();
      const lb = new LbController(container, timeline);
      const loopRef: { current?: TemplateLoop } = {};
      const data = new ConsulTemplateData(
        createConsulClient(parseConsulAddress(`127.0.0.1:${port}`)),
        () => loopRef.current?.poke(),
        (message) => timeline.record({ kind: 'warning', message }),
      );
      const loop = new TemplateLoop(compileTemplate(templateSource, 'test.ctmpl'), data, lb, timeline);
      loopRef.current = loop;
      await options.beforeLoop?.(container);
      loop.start();
      return new RenderHarness(
        config.project,
        consulUrl,
        `http://127.0.0.1:${config.lbPort}`,
        container,
        lb,
        data,
        loop,
        timeline,
      );
    } catch (error) {
      await removeTestStack(undefined, config.project);
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.loop.stop();
    this.data.close();
    this.lb.close();
    await removeTestStack(undefined, this.project);
  }

  async consul(method: 'PUT' | 'DELETE' | 'GET', path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${this.consulUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(5000),
    });
    return response;
  }

  /** Registers straight in Consul's agent API, as anyone who can reach Consul can; false when Consul refused it. */
  async register(service: ServiceRegistration): Promise<boolean> {
    const response = await this.consul('PUT', '/v1/agent/service/register', service);
    await response.text();
    return response.ok;
  }

  async deregister(id: string): Promise<void> {
    const response = await this.consul('PUT', `/v1/agent/service/deregister/${encodeURIComponent(id)}`);
    await response.text();
  }

  async putKey(key: string, value: string): Promise<void> {
    const response = await this.consul('PUT', `/v1/kv/${key}`, value);
    await response.text();
    if (!response.ok) throw new Error(`Consul refused the KV write of ${key}: ${response.status}`);
  }

  async deleteKey(key: string): Promise<void> {
    const response = await this.consul('DELETE', `/v1/kv/${key}`);
    await response.text();
  }

  /** The live config, once `check` holds for it. */
  async waitForConfig(what: string, check: (config: string) => boolean, timeoutMs = 20_000): Promise<string> {
    return waitFor(
      what,
      () => {
        const config = this.lb.status().config;
        return config !== undefined && check(config) ? config : undefined;
      },
      { timeoutMs, intervalMs: 20 },
    );
  }

  warnings(): string[] {
    return this.timeline
      .list()
      .filter((e) => e.kind === 'warning')
      .map((e) => e.message);
  }
}
