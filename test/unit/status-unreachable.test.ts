import { describe, expect, it } from 'vitest';
import { engineStatusView, type RunningInputs } from '../../main/engine/status-view.js';
import type { RegisteredService } from '../../main/engine/registrator/registrator.js';

const mine: RegisteredService = {
  id: 'host:mine:80',
  name: 'web',
  address: '172.17.0.2',
  port: 80,
  tags: ['backend'],
  meta: {},
  containerPort: 80,
  protocol: 'tcp',
  containerId: 'id-mine',
  containerName: 'mine',
  registeredAt: 1,
  origin: {},
};

function status(unreachable: NonNullable<RunningInputs['template']['unreachable']>) {
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
        services: [mine],
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
        unreachable,
      },
      live: new Set(),
      scaling: { desired: 1, starting: [], draining: [], drainingServices: {}, busy: false },
      composeScaling: {},
      timeline: [],
    },
  });
}

describe('unreachable instances in the status', () => {
  it('marks our container unreachable with why, and lists a registration no container of ours made', () => {
    const view = status([
      { serviceId: 'host:mine:80', service: 'web', address: '172.17.0.2:80', reason: 'refused', since: 5 },
      { serviceId: 'elsewhere', service: 'web', address: '10.9.0.200:80', reason: 'no answer', since: 6 },
    ]);
    const instances = view.services.flatMap((s) => s.instances);
    expect(instances.find((i) => i.id === 'host:mine:80')).toMatchObject({
      state: 'unreachable',
      unreachableReason: 'refused',
      owned: true,
    });
    expect(instances.find((i) => i.id === 'elsewhere')).toMatchObject({
      state: 'unreachable',
      address: '10.9.0.200',
      port: 80,
      managedBy: 'none',
      // Someone else's registration: read-only, though it came in through the unreachable list.
      owned: false,
    });
  });

  it('calls a registered instance that is neither live nor unreachable starting', () => {
    expect(status([]).services[0]?.instances[0]?.state).toBe('starting');
  });
});
