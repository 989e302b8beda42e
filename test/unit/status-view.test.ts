/**
 * Who manages what, in the status (main/engine/status-view.ts): the demo's web, the replicas of
 * Compose services, and the containers that are only "also registered". `running` and `desired`
 * count what the engine manages; each scale target carries its own progress.
 */
import { describe, expect, it } from 'vitest';
import type { RegisteredService } from '../../main/engine/registrator/registrator.js';
import type { ContainerOrigin } from '../../main/engine/registrator/container-origin.js';
import type { ScaleProgress } from '../../main/engine/scaler.js';
import { engineStatusView, type RunningInputs } from '../../main/engine/status-view.js';

const idle: ScaleProgress = {
  desired: undefined,
  starting: [],
  draining: [],
  drainingServices: {},
  busy: false,
};

function registered(
  name: string,
  containerName: string,
  origin: ContainerOrigin,
  service = 'web',
): RegisteredService {
  return {
    id: `host:${containerName}:80`,
    name: service,
    address: `10.0.0.${containerName.length}`,
    port: 80,
    tags: ['backend'],
    meta: {},
    containerPort: 80,
    protocol: 'tcp',
    containerId: `id-${containerName}`,
    containerName,
    registeredAt: 1,
    origin,
  };
}

const demo = (n: number): RegisteredService => registered('web', `dt-web-${n}`, { stack: 'dt', role: 'web' });
const shop = (n: number, extra: Partial<NonNullable<ContainerOrigin['compose']>> = {}, service = 'web') =>
  registered(
    service,
    `shop-web-${n}`,
    { compose: { project: 'shop', service: 'web', number: n, ...extra } },
    service,
  );
const foreign = registered('web', 'someone-elses-web', {});

function status(services: RegisteredService[], progress: Partial<RunningInputs> = {}) {
  return engineStatusView({
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
      registrator: {
        docker: { connected: true },
        consul: { connected: true },
        services,
        warnings: [],
      },
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
      live: new Set(services.map((s) => s.id)),
      scaling: { ...idle, desired: 1 },
      composeScaling: {},
      timeline: [],
      ...progress,
    },
  });
}

describe('the status of what the engine manages', () => {
  it('tells the demo, a Compose replica and a container that is only also registered apart', () => {
    const s = status([demo(1), shop(1), shop(2), foreign]);
    const web = s.services.find((x) => x.name === 'web')!;
    expect(web.instances.map((i) => [i.containerName, i.managedBy, i.scaleTarget, i.composeNumber])).toEqual([
      ['dt-web-1', 'demo', 'web', undefined],
      ['shop-web-1', 'compose', 'shop/web', 1],
      ['shop-web-2', 'compose', 'shop/web', 2],
      ['someone-elses-web', 'none', undefined, undefined],
    ]);
    // The foreign one is listed, and counted apart: never as running, never as desired.
    expect(web).toMatchObject({
      running: 3,
      alsoRegistered: 1,
      desired: 3,
      scaleTargets: ['shop/web', 'web'],
    });
    expect(s.scaleTargets).toEqual([
      {
        target: 'web',
        managedBy: 'demo',
        services: ['web'],
        desired: 1,
        running: 1,
        min: 0,
        max: 20,
        scalable: true,
        busy: false,
        starting: [],
        draining: [],
      },
      {
        target: 'shop/web',
        managedBy: 'compose',
        composeProject: 'shop',
        composeService: 'web',
        services: ['web'],
        running: 2,
        min: 1,
        max: 20,
        scalable: true,
        busy: false,
        starting: [],
        draining: [],
      },
    ]);
    expect(s.scaling).toMatchObject({ service: 'web', desired: 1 });
  });

  it('takes a container of another Discovery Tray stack for no one of ours', () => {
    const other = registered('web', 'other-web-1', { stack: 'other', role: 'web' });
    const s = status([other]);
    expect(s.services.find((x) => x.name === 'web')).toMatchObject({ running: 0, alsoRegistered: 1 });
    expect(s.scaleTargets?.[0]).toMatchObject({ target: 'web', running: 0 });
  });

  it('shows a Compose scale in progress with its count, and where its draining replicas were', () => {
    const s = status([shop(1)], {
      composeScaling: {
        'shop/web': {
          desired: 1,
          starting: [],
          draining: ['shop-web-3', 'shop-web-2'],
          drainingServices: { 'shop-web-3': ['web', 'web-admin'], 'shop-web-2': ['web'] },
          busy: true,
        },
      },
    });
    const target = s.scaleTargets?.find((t) => t.target === 'shop/web');
    expect(target).toMatchObject({
      desired: 1,
      running: 1,
      busy: true,
      draining: ['shop-web-3', 'shop-web-2'],
    });
    const web = s.services.find((x) => x.name === 'web')!;
    expect(
      web.instances.filter((i) => i.state === 'draining').map((i) => [i.containerName, i.managedBy]),
    ).toEqual([
      ['shop-web-2', 'compose'],
      ['shop-web-3', 'compose'],
    ]);
    expect(web.running).toBe(1);
    expect(s.services.find((x) => x.name === 'web-admin')?.instances).toMatchObject([
      { containerName: 'shop-web-3', state: 'draining', scaleTarget: 'shop/web' },
    ]);
  });

  it('keeps no count of its own for an idle Compose service: what runs is what Compose has', () => {
    const s = status([shop(1), shop(2)], {
      composeScaling: { 'shop/web': { ...idle, desired: 5 } },
    });
    expect(s.scaleTargets?.find((t) => t.target === 'shop/web')).not.toHaveProperty('desired');
  });

  it('says why a Compose service cannot get more replicas', () => {
    const blockedBy = 'shop/web publishes 80/tcp on host port 8080';
    const s = status([shop(1, { blockedBy })]);
    expect(s.scaleTargets?.find((t) => t.target === 'shop/web')).toMatchObject({
      scalable: false,
      blockedBy,
    });
  });

  it('counts a container that registers two services once, under each service', () => {
    const s = status([shop(1), shop(1, {}, 'web-admin')]);
    expect(s.scaleTargets?.find((t) => t.target === 'shop/web')).toMatchObject({
      running: 1,
      services: ['web', 'web-admin'],
    });
    expect(s.services.find((x) => x.name === 'web-admin')).toMatchObject({
      running: 1,
      scaleTargets: ['shop/web'],
    });
  });

  it('lists the demo web with no instance and no target other than its own when nothing runs', () => {
    const s = status([]);
    expect(s.services).toEqual([
      {
        name: 'web',
        desired: 1,
        running: 0,
        alsoRegistered: 0,
        scaleTargets: ['web'],
        instances: [],
        owned: true,
      },
    ]);
    expect(s.scaleTargets?.map((t) => t.target)).toEqual(['web']);
  });
});
