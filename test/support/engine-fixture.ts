/**
 * A demo stack of the tests' own: a unique project name (so its network and
 * containers never collide with a user's stack), free 127.0.0.1 ports and
 * the local test images.
 */
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import { Engine } from '../../main/engine/engine.js';
import { defaultEngineConfig, type EngineConfig } from '../../main/engine/engine-config.js';
import { STACK_LABEL } from '../../main/engine/stack/stack-config.js';
import { ControlServer } from '../../main/server/control-server.js';
import { DiscoveryService } from '../../main/service/discovery-service.js';
import { PushHub } from '../../main/service/push-hub.js';
import { testImages } from './images.js';
import { freePort } from './ports.js';

export async function testEngineConfig(overrides: Partial<EngineConfig> = {}): Promise<EngineConfig> {
  const base = defaultEngineConfig();
  return {
    ...base,
    project: `dt-it-${randomBytes(3).toString('hex')}`,
    lbPort: await freePort(),
    consulPort: await freePort(),
    images: {
      consul: testImages.consul,
      lb: testImages.lb,
      web: testImages.web,
      webBase: testImages.python,
    },
    drainTimeoutMs: 15_000,
    ...overrides,
  };
}

/** A started engine and the application service in front of it, as the front ends drive it. */
export interface TestEngine {
  engine: Engine;
  app: DiscoveryService;
}

export async function startTestEngine(overrides: Partial<EngineConfig> = {}): Promise<TestEngine> {
  const engine = new Engine(await testEngineConfig(overrides));
  const app = new DiscoveryService(engine);
  await app.startDemo();
  return { engine, app };
}

/** The control API in front of a test's service, as `discovery-tray up` puts it there. */
export function controlServerFor(app: DiscoveryService, token: string): ControlServer {
  return new ControlServer({ handlers: app, push: new PushHub(app.feeds()), token });
}

/** Stops the engine and removes everything labelled with its project, whatever state it is in. */
export async function removeTestStack(
  test: { engine: Engine | undefined } | undefined,
  project?: string,
): Promise<void> {
  const name = project ?? test?.engine?.config.project;
  await test?.engine?.stop().catch(() => undefined);
  if (!name) return;
  const docker = new Dockerode();
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${STACK_LABEL}=${name}`] },
  });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  const networks = await docker.listNetworks({ filters: { label: [`${STACK_LABEL}=${name}`] } });
  for (const n of networks)
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
}
