/**
 * Every service in Consul in the status: the registrator's instances get their Consul health,
 * whether they are in the live config and their container's warnings; the catalog's other
 * instances are added read-only; what Consul holds is bounded before it is kept.
 */
import { describe, expect, it } from 'vitest';
import { withCatalog } from '../../main/engine/catalog-view.js';
import {
  CATALOG_LIMITS,
  catalogService,
  type CatalogSnapshot,
} from '../../main/engine/consul/catalog-watch.js';
import type { RegisteredService } from '../../main/engine/registrator/registrator.js';
import { warningFix } from '../../main/engine/registrator/warning-fix.js';
import { servicesForContainer } from '../../main/engine/registrator/service-spec.js';
import { engineStatusView } from '../../main/engine/status-view.js';
import type { InstanceView } from '../../contract/index.js';

const OWNER = 'discovery-tray@host';

const ours: InstanceView = {
  id: 'host:dt-web-1:80',
  service: 'web',
  containerId: 'c1',
  containerName: 'dt-web-1',
  address: '10.0.0.5',
  port: 80,
  tags: ['backend'],
  registeredAt: 1,
  state: 'serving',
  managedBy: 'demo',
  scaleTarget: 'web',
};

function health(name: string, entries: { id: string; owner?: string; status?: string }[]) {
  return catalogService(
    name,
    entries.map((e) => {
      const meta: Record<string, string> = e.owner ? { 'dt-owner': e.owner, 'dt-container': 'c1' } : {};
      return {
        Node: { Address: '10.9.9.9' },
        Service: {
          ID: e.id,
          Service: name,
          Address: '',
          Port: 8080,
          Tags: ['t'],
          Meta: meta,
        },
        Checks: [{ Status: 'passing' }, ...(e.status ? [{ Status: e.status }] : [])],
      };
    }),
  );
}

describe('the catalog in the status', () => {
  it('adds Consul health, inConfig, owned and warnings to ours, and the others read-only', () => {
    const catalog: CatalogSnapshot = {
      services: [
        health('web', [{ id: ours.id, owner: OWNER, status: 'warning' }, { id: 'theirs-1' }]),
        // Ours by the marker but not (or no longer) in the registrator's list: the catalog lags, left out.
        health('gone', [{ id: 'stale-1', owner: OWNER }]),
      ],
      servicesNotShown: 0,
    };
    const registered = [{ id: ours.id, dockerHealth: 'healthy' }] as RegisteredService[];
    const all = withCatalog([ours], {
      catalog,
      owner: OWNER,
      live: new Set([ours.id]),
      warnings: [
        { container: 'dt-web-1', message: 'container dt-web-1, port 80: something odd' },
        { container: 'other', message: 'not this row' },
      ],
      registered,
    });
    expect(all).toEqual([
      {
        ...ours,
        health: { consul: 'warning', docker: 'healthy' },
        inConfig: true,
        owned: true,
        warnings: [{ message: 'container dt-web-1, port 80: something odd' }],
      },
      {
        id: 'theirs-1',
        service: 'web',
        containerId: '',
        containerName: '',
        // No address of its own: its node's, as consul-template does.
        address: '10.9.9.9',
        port: 8080,
        tags: ['t'],
        registeredAt: 0,
        state: 'starting',
        managedBy: 'none',
        health: { consul: 'passing' },
        inConfig: false,
        owned: false,
      },
    ]);
  });

  it('says which services are read-only and how many Consul has past the caps', () => {
    const names = Array.from({ length: 3 }, (_, i) => `svc-${i}`);
    const catalog: CatalogSnapshot = {
      services: names.map((n) => health(n, [{ id: `${n}-1` }])),
      servicesNotShown: 7,
    };
    const s = engineStatusView({
      state: 'ready',
      adopted: false,
      lbUrl: 'http://127.0.0.1:8080',
      consulManaged: true,
      templateName: 'nginx.ctmpl',
      maxInstances: 20,
      stackProject: 'dt',
      dockerEndpoint: 'unix:///var/run/docker.sock',
      running: {
        docker: { endpoint: 'unix:///var/run/docker.sock', version: '27.0', source: 'default' },
        consulUrl: 'http://127.0.0.1:8500',
        registrator: { docker: { connected: true }, consul: { connected: true }, services: [], warnings: [] },
        lb: { generation: 1, config: '', previousConfig: undefined, appliedAt: 1, lastError: undefined },
        template: {
          templateName: 'nginx.ctmpl',
          dependencies: [],
          lastRenderAt: 1,
          renders: 1,
          lastError: undefined,
          excluded: [],
          excludedKeys: [],
        },
        live: new Set(),
        scaling: { desired: 1, starting: [], draining: [], drainingServices: {}, busy: false },
        composeScaling: {},
        timeline: [],
        catalog,
        owner: OWNER,
      },
    });
    expect(s.servicesNotShown).toBe(7);
    expect(s.services.map((x) => [x.name, x.owned])).toEqual([
      ['svc-0', false],
      ['svc-1', false],
      ['svc-2', false],
      ['web', true],
    ]);
  });

  it('keeps a bounded part of what Consul holds: instances, tags and text', () => {
    const many = Array.from({ length: CATALOG_LIMITS.maxInstancesPerService + 5 }, (_, i) => ({
      Service: {
        ID: `i-${String(i).padStart(3, '0')}`,
        Address: '10.0.0.1',
        Port: 1,
        Tags: Array.from({ length: 100 }, () => 'x'.repeat(10_000)),
      },
    }));
    const service = catalogService('y'.repeat(100_000), many);
    expect(service.instances).toHaveLength(CATALOG_LIMITS.maxInstancesPerService);
    expect(service.instancesNotShown).toBe(5);
    expect(service.name.length).toBeLessThanOrEqual(CATALOG_LIMITS.maxTextChars);
    expect(service.instances[0]!.tags).toHaveLength(CATALOG_LIMITS.maxTags);
    expect(service.instances[0]!.tags[0]!.length).toBeLessThanOrEqual(CATALOG_LIMITS.maxTagChars);
    expect(service.instances[0]!.health).toBe('passing');
  });
});

describe('the fix of a registrator warning', () => {
  it('names the setting to remove for SERVICE_80_NAME vs SERVICE_NAME, read from the warning itself', () => {
    const { warnings } = servicesForContainer(
      {
        Id: 'c1',
        Name: '/shop',
        Config: {
          Image: 'shop',
          Env: ['SERVICE_NAME=web', 'SERVICE_80_NAME=http'],
          ExposedPorts: { '80/tcp': {} },
        },
        NetworkSettings: { Networks: { n: { IPAddress: '10.0.0.2' } } },
      },
      { mode: 'internal', hostname: 'host' },
    );
    expect(warnings).toHaveLength(1);
    expect(warningFix(warnings[0]!)).toBe(
      'remove env SERVICE_NAME="web" from the container (env SERVICE_80_NAME="http" decides the service name), or remove env SERVICE_80_NAME="http" to keep env SERVICE_NAME="web"',
    );
  });

  it('gives no fix for a warning it does not know, rather than a guess', () => {
    expect(
      warningFix('container x, port 80: SERVICE_CHECK_INTERVAL="soon" is not a duration'),
    ).toBeUndefined();
  });
});
