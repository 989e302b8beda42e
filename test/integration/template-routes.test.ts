/**
 * The services-localhost template chosen through the service: every service is reached at
 * <service>.localhost on the LB port (by Host header, from 127.0.0.1 only), a service whose name is
 * not a host label gets no site and a warning, and the choice is kept in the state folder: an
 * engine started again with the same folder renders it, the history lists it, and choosing
 * `classic` (the reset) goes back. Real Docker, Consul and nginx.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackNetworkName } from '../../main/engine/stack/stack-config.js';
import { Engine } from '../../main/engine/engine.js';
import type { EngineConfig } from '../../main/engine/engine-config.js';
import { templateFileStorage } from '../../main/server/template-file.js';
import { DiscoveryService } from '../../main/service/discovery-service.js';
import { TemplateChoice } from '../../main/service/template-choice.js';
import { TemplateStore } from '../../main/service/template-store.js';
import { TestResources, containerIp, docker } from '../support/docker-fixtures.js';
import { removeTestStack, testEngineConfig } from '../support/engine-fixture.js';
import { waitFor } from '../support/wait.js';

/** Who answered a GET with this Host header: simple-web's X-Served-By is its own address. */
function servedBy(port: number, host: string): Promise<{ status: number; servedBy: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', headers: { Host: host }, timeout: 2000 },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            servedBy: res.headers['x-served-by'] as string | undefined,
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer for ${host} in 2 s`)));
    req.on('error', reject);
    req.end();
  });
}

function serviceFor(engine: Engine, stateDir: string): DiscoveryService {
  return new DiscoveryService(engine, {
    templates: new TemplateChoice(new TemplateStore(templateFileStorage(stateDir))),
  });
}

describe('the services-localhost template', () => {
  const resources = new TestResources();
  const stateDir = mkdtempSync(join(tmpdir(), 'dt-templates-state-'));
  let config: EngineConfig;
  let engine: Engine | undefined;
  let app: DiscoveryService;

  beforeAll(async () => {
    config = await testEngineConfig();
    engine = new Engine(config);
    app = serviceFor(engine, stateDir);
    await app.startDemo();
  }, 120_000);

  afterAll(async () => {
    await resources.cleanup();
    await removeTestStack({ engine }, config.project);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('routes each service by its .localhost name, skips a bad name with a warning, and lasts', async () => {
    await app.call('scale', { service: 'web', count: 1 });
    const network = stackNetworkName(config.project);
    const api = await resources.run({
      network,
      env: { SERVICE_NAME: 'api', SERVICE_TAGS: 'backend' },
      exposedPorts: ['80/tcp'],
    });
    await resources.run({
      network,
      env: { SERVICE_NAME: 'Bad_Name', SERVICE_TAGS: 'backend' },
      exposedPorts: ['80/tcp'],
    });
    const apiIp = await containerIp(api, network);
    const webs = await docker.listContainers({
      filters: { label: [`org.discovery-tray.stack=${config.project}`, 'org.discovery-tray.role=web'] },
    });
    expect(webs).toHaveLength(1);
    const webIp = await containerIp(docker.getContainer(webs[0]!.Id), network);

    const history = await app.call('selectTemplate', { name: 'services-localhost' });
    expect(history.live).toMatchObject({ builtin: 'services-localhost', origin: 'kept' });

    const routed = async (): Promise<boolean> => {
      const [w, a] = await Promise.all([
        servedBy(config.lbPort, 'web.localhost').catch(() => undefined),
        servedBy(config.lbPort, 'api.localhost').catch(() => undefined),
      ]);
      return w?.servedBy === webIp && a?.servedBy === apiIp;
    };
    await waitFor('web.localhost and api.localhost to be routed', routed, {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    // Each name always reaches its own service, never the other one.
    for (let i = 0; i < 10; i++) {
      expect((await servedBy(config.lbPort, 'web.localhost')).servedBy).toBe(webIp);
      expect((await servedBy(config.lbPort, 'api.localhost')).servedBy).toBe(apiIp);
    }
    // The classic site stays the default for any other name.
    expect((await servedBy(config.lbPort, 'localhost')).servedBy).toBe(webIp);
    // The bad name has no site (the default one answers) and is named in a warning.
    await waitFor('a warning naming Bad_Name', () =>
      app.getStatus().warnings.some((w) => w.message.includes('"Bad_Name" is skipped')),
    );
    expect((await servedBy(config.lbPort, 'bad-name.localhost')).servedBy).toBe(webIp);
    expect((await servedBy(config.lbPort, 'Bad_Name.localhost')).servedBy).toBe(webIp);

    // Started again with the same state folder: the choice is rendered again and listed.
    await engine!.stop();
    engine = new Engine(config);
    app = serviceFor(engine, stateDir);
    await app.startDemo();
    expect(app.getStatus().liveTemplate).toMatchObject({ builtin: 'services-localhost', origin: 'kept' });
    await waitFor('api.localhost routed after the restart', routed, { timeoutMs: 30_000, intervalMs: 200 });
    const kept = await app.call('getTemplateHistory');
    expect(kept.versions[0]).toMatchObject({ kind: 'builtin', builtin: 'services-localhost' });

    // The reset: classic again, so api.localhost is only the default site (web) now.
    const reset = await app.call('selectTemplate', { name: 'classic' });
    expect(reset.live).toMatchObject({ builtin: 'classic' });
    expect(reset.versions.map((v) => v.builtin)).toEqual(['classic', 'services-localhost']);
    await waitFor(
      'api.localhost to fall back to the default site',
      async () => (await servedBy(config.lbPort, 'api.localhost').catch(() => undefined))?.servedBy === webIp,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    for (let i = 0; i < 5; i++) expect((await servedBy(config.lbPort, 'api.localhost')).servedBy).toBe(webIp);
  }, 240_000);
});
