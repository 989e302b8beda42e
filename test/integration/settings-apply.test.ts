/**
 * Settings applied to a running engine, against the real Docker engine, Consul and nginx: a new LB
 * port restarts the engine, the LB answers on the new 127.0.0.1 port, and the rest of the stack is
 * kept (the same Consul container with the same registrations, the same web containers). A port
 * that is taken is refused before anything changes, and the error names the next free port.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../contract/index.js';
import { Engine } from '../../main/engine/engine.js';
import { PortInUseError } from '../../main/engine/stack/port-check.js';
import { DiscoveryService } from '../../main/service/discovery-service.js';
import { dispatch } from '../../main/service/dispatch.js';
import { SettingsApplier } from '../../main/service/settings-apply.js';
import { SettingsStore, memoryStorage } from '../../main/service/settings-store.js';
import { docker } from '../support/docker-fixtures.js';
import { removeTestStack, testEngineConfig } from '../support/engine-fixture.js';
import { testImages } from '../support/images.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

let engine: Engine;
let service: DiscoveryService;
let project: string;
let consulUrl: string;
const listeners: Server[] = [];

async function ids(role: string): Promise<string[]> {
  const list = await docker.listContainers({
    filters: { label: [`org.discovery-tray.stack=${project}`, `org.discovery-tray.role=${role}`] },
  });
  return list.map((c) => c.Id).sort();
}

async function webCatalog(): Promise<string[]> {
  const response = await fetch(`${consulUrl}/v1/catalog/service/web`, { signal: AbortSignal.timeout(2000) });
  return ((await response.json()) as { ServiceID: string }[]).map((e) => e.ServiceID).sort();
}

async function lbAnswers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
    await response.text();
    return response.status === 200;
  } catch {
    return false;
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

beforeAll(async () => {
  const config = await testEngineConfig();
  project = config.project;
  consulUrl = `http://127.0.0.1:${config.consulPort}`;
  const saved: Settings = {
    ...DEFAULT_SETTINGS,
    lbPort: config.lbPort,
    consulPort: config.consulPort,
    consulImage: testImages.consul,
    lbImage: testImages.lb,
    webImage: testImages.web,
  };
  const settings = new SettingsStore(memoryStorage(JSON.stringify(saved)));
  engine = new Engine(config);
  // The project and simple-web's base come from the environment, as a second stack's would.
  const env = { DISCOVERY_TRAY_PROJECT: project, DISCOVERY_TRAY_WEB_BASE_IMAGE: testImages.python };
  service = new DiscoveryService(engine, {
    settings,
    settingsApplier: new SettingsApplier(engine, settings, { env }),
  });
  await service.startDemo();
  await service.call('scale', { service: 'web', count: 2 });
  await waitFor('the LB to serve', () => lbAnswers(config.lbPort), { timeoutMs: 30_000, intervalMs: 200 });
}, 180_000);

afterAll(async () => {
  for (const server of listeners) server.close();
  await removeTestStack({ engine }, project);
});

describe('settings applied to a running engine', () => {
  it('moves the LB to a new port and keeps Consul, its registrations and the web containers', async () => {
    const oldPort = engine.lbPort;
    const consul = await ids('consul');
    const web = await ids('web');
    const lb = await ids('lb');
    const registered = await waitFor('both web in Consul', async () => {
      const list = await webCatalog();
      return list.length === 2 ? list : undefined;
    });
    const newPort = await freePort();

    const saved = await service.call('updateSettings', { lbPort: newPort });

    expect(saved.lbPort).toBe(newPort);
    expect(service.view().phase).toBe('ready');
    expect(service.getStatus().lb.url).toBe(`http://127.0.0.1:${newPort}`);
    await waitFor('the LB on the new port', () => lbAnswers(newPort), { timeoutMs: 30_000, intervalMs: 200 });
    expect(await lbAnswers(oldPort)).toBe(false);
    // Kept: Consul (same container, same registrations) and the web containers; the LB is new.
    expect(await ids('consul')).toEqual(consul);
    expect(await ids('web')).toEqual(web);
    expect(await ids('lb')).not.toEqual(lb);
    expect(engine.parts?.retired).toEqual({ lb: true, consul: false, web: 0 });
    expect(await webCatalog()).toEqual(registered);
  });

  it('refuses a port that a listener holds, names the next free port, and changes nothing', async () => {
    const before = service.getStatus().lb.url;
    const lb = await ids('lb');
    const taken = await freePort();
    listeners.push(await listen(taken));

    const failure = await service.call('updateSettings', { lbPort: taken }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(PortInUseError);
    const offer = (failure as PortInUseError).offer;
    expect(offer.setting).toBe('lbPort');
    expect(offer.port).toBe(taken);
    expect(offer.freePort).toBeGreaterThan(taken);
    expect((failure as Error).message).toContain(`Port ${taken} on 127.0.0.1 is already in use`);
    expect((failure as Error).message).toContain(`Port ${offer.freePort} is free`);
    // Over a transport the offer travels with the error, for the one-click "Use port N".
    const reply = await dispatch(service, 'updateSettings', { lbPort: taken });
    expect(reply).toMatchObject({
      error: { code: 'port-in-use', offer: { setting: 'lbPort', port: taken } },
    });
    // Nothing changed: the setting, the LB container, the URL.
    expect((await service.call('getSettings')).lbPort).not.toBe(taken);
    expect(await ids('lb')).toEqual(lb);
    expect(service.getStatus().lb.url).toBe(before);
    expect(service.view().phase).toBe('ready');

    // The offer taken in one click: the LB moves there.
    await service.call('updateSettings', { lbPort: offer.freePort! });
    await waitFor('the LB on the offered port', () => lbAnswers(offer.freePort!), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
  });

  it('moves the managed Consul to a new port: a new Consul, the registrations put back, the web kept', async () => {
    const consul = await ids('consul');
    const web = await ids('web');
    const registered = await webCatalog();
    const newPort = await freePort();

    await service.call('updateSettings', { consulPort: newPort });

    consulUrl = `http://127.0.0.1:${newPort}`;
    expect(service.view().phase).toBe('ready');
    expect(await ids('consul')).not.toEqual(consul);
    expect(await ids('web')).toEqual(web);
    expect(engine.parts?.retired).toEqual({ lb: false, consul: true, web: 0 });
    await waitFor(
      'the registrations back in the new Consul',
      async () => JSON.stringify(await webCatalog()) === JSON.stringify(registered),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  });
});
