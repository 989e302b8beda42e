/**
 * A new Compose replica copied from a running one (main/engine/compose/replica-spec.ts): what is
 * copied, what is the source's own and left out, and which services cannot be scaled at all.
 * The source is `docker inspect` of a replica as Compose made it (trimmed).
 */
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { composeReplicaOf, namingOf, replicaName } from '../../main/engine/compose/compose-labels.js';
import { replicaSpec, scaleBlocker, type ReplicaSource } from '../../main/engine/compose/replica-spec.js';

const ID = 'b5f075202cc6a95278dd8255924c6ac16b8a9ea6e1ed6403e16dd74c06724d0d';
const IMAGE_ID = 'sha256:7f255114eea2a95278dd8255924c6ac16b8a9ea6e1ed6403e16dd74c06724d0d';

function replica(overrides: { name?: string; labels?: Record<string, string> } = {}): ReplicaSource {
  return {
    Id: ID,
    Name: overrides.name ?? '/shop-web-1',
    Config: {
      Hostname: ID.slice(0, 12),
      Domainname: '',
      User: 'app',
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ExposedPorts: { '80/tcp': {} },
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: ['SERVICE_NAME=web', 'SERVICE_TAGS=backend', 'PATH=/usr/bin:/bin'],
      Cmd: ['python3', '-S', '/simple-web/server.py'],
      Image: 'shop/web:1.2',
      Volumes: { '/data': {} },
      WorkingDir: '/srv',
      Entrypoint: ['/entry.sh'],
      Labels: {
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'web',
        'com.docker.compose.container-number': '1',
        'com.docker.compose.oneoff': 'False',
        'com.docker.compose.config-hash': 'abc123',
        'com.docker.compose.version': '2.29.1',
        ...overrides.labels,
      },
      Healthcheck: { Test: ['CMD', 'true'], Interval: 1_000_000_000 },
    },
    HostConfig: {
      Binds: ['shop_named:/named:rw', '/srv/conf:/conf:ro'],
      ContainerIDFile: '/tmp/web.cid',
      NetworkMode: 'shop_back',
      PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '' }] },
      RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
      Mounts: [{ Type: 'volume', Target: '/cache', Source: '' }] as unknown as Dockerode.MountConfig,
      Memory: 268435456,
    },
    NetworkSettings: {
      Networks: {
        shop_back: {
          Aliases: ['shop-web-1', 'web', ID.slice(0, 12)],
          IPAMConfig: null,
          MacAddress: '02:42:ac:13:00:03',
          IPAddress: '172.19.0.3',
          NetworkID: 'n-back',
        },
        shop_front: {
          Aliases: ['shop-web-1', 'web', 'webalias', ID.slice(0, 12)],
          IPAMConfig: { LinkLocalIPs: ['169.254.1.1'] },
          Links: null,
          MacAddress: '02:42:ac:12:00:03',
          IPAddress: '172.18.0.3',
          NetworkID: 'n-front',
        },
      },
    },
  } as unknown as ReplicaSource;
}

function withPorts(source: ReplicaSource, bindings: Record<string, { HostIp: string; HostPort: string }[]>) {
  return { ...source, HostConfig: { ...source.HostConfig, PortBindings: bindings } } as ReplicaSource;
}

describe('a Compose replica, by its labels', () => {
  it('is a replica only with a project, a service and a number, and never a one-off run', () => {
    expect(composeReplicaOf(replica().Config.Labels)).toEqual({ project: 'shop', service: 'web', number: 1 });
    expect(composeReplicaOf({ 'com.docker.compose.project': 'shop' })).toBeUndefined();
    expect(
      composeReplicaOf({ ...replica().Config.Labels, 'com.docker.compose.oneoff': 'True' }),
    ).toBeUndefined();
    for (const number of ['0', '-1', 'x', '', '1.5'])
      expect(
        composeReplicaOf({ ...replica().Config.Labels, 'com.docker.compose.container-number': number }),
      ).toBeUndefined();
    expect(composeReplicaOf(null)).toBeUndefined();
  });

  it('is named as Compose v2 or v1 names it, or has a custom name', () => {
    const id = { project: 'shop', service: 'web', number: 3 };
    expect(namingOf('/shop-web-3', id)).toBe('v2');
    expect(namingOf('shop_web_3', id)).toBe('v1');
    expect(namingOf('my-web', id)).toBeUndefined();
    expect(namingOf('shop-web-4', id)).toBeUndefined();
    expect(replicaName('v2', id, 7)).toBe('shop-web-7');
    expect(replicaName('v1', id, 7)).toBe('shop_web_7');
  });
});

describe('what cannot be scaled', () => {
  it('lets a replica with only container ports, or a host port range, be copied', () => {
    expect(scaleBlocker(replica())).toBeUndefined();
    expect(
      scaleBlocker(withPorts(replica(), { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '18080-18085' }] })),
    ).toBeUndefined();
    expect(scaleBlocker(withPorts(replica(), { '80/tcp': [{ HostIp: '', HostPort: '0' }] }))).toBeUndefined();
  });

  it('refuses a fixed host port, saying why and what to publish instead', () => {
    const blocker = scaleBlocker(
      withPorts(replica(), { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] }),
    );
    expect(blocker).toBe(
      'shop/web publishes 80/tcp on host port 8080 (ports: "8080:80"): a second replica could not bind it (Compose fails the same way). To scale it, publish only the container port ("80") or a range of host ports ("8080-8089:80").',
    );
  });

  it('refuses a container_name and a fixed address', () => {
    expect(scaleBlocker(replica({ name: '/shop-frontend' }))).toMatch(
      /^shop\/web has a fixed container name \(shop-frontend, container_name in the compose file\).*Remove container_name/,
    );
    const fixed = replica();
    fixed.NetworkSettings.Networks.shop_back!.IPAMConfig = { IPv4Address: '172.19.0.10' };
    expect(scaleBlocker(fixed)).toMatch(/fixed address 172\.19\.0\.10 on the network shop_back/);
  });

  it('says nothing about containers that are no Compose replica', () => {
    const foreign = replica({ name: '/whatever' });
    foreign.Config.Labels = { SERVICE_NAME: 'web' };
    expect(scaleBlocker(foreign)).toBeUndefined();
  });
});

describe('the copy', () => {
  const spec = replicaSpec(replica(), 4, 'shop/web:1.2');

  it('is named and numbered on, with the source labels otherwise', () => {
    expect(spec.name).toBe('shop-web-4');
    expect(spec.create.name).toBe('shop-web-4');
    expect(spec.create.Labels).toEqual({
      ...replica().Config.Labels,
      'com.docker.compose.container-number': '4',
    });
    const v1 = replicaSpec(
      replica({ name: '/shop_web_1', labels: { 'com.docker.compose.replace': 'old' } }),
      2,
      IMAGE_ID,
    );
    expect(v1.name).toBe('shop_web_2');
    expect(v1.create.Labels).not.toHaveProperty('com.docker.compose.replace');
    expect(v1.create.Image).toBe(IMAGE_ID);
  });

  it('runs what the source runs, as whom and where', () => {
    expect(spec.create).toMatchObject({
      Image: 'shop/web:1.2',
      User: 'app',
      Env: ['SERVICE_NAME=web', 'SERVICE_TAGS=backend', 'PATH=/usr/bin:/bin'],
      Cmd: ['python3', '-S', '/simple-web/server.py'],
      Entrypoint: ['/entry.sh'],
      WorkingDir: '/srv',
      ExposedPorts: { '80/tcp': {} },
      Volumes: { '/data': {} },
      Healthcheck: { Test: ['CMD', 'true'], Interval: 1_000_000_000 },
    });
    // Docker's default hostname is the source's short ID: the copy gets its own; a set one is kept.
    expect(spec.create).not.toHaveProperty('Hostname');
    const named = replica();
    named.Config.Hostname = 'shop-web';
    expect(replicaSpec(named, 2, 'x').create.Hostname).toBe('shop-web');
  });

  it('keeps the host config (volumes, mounts, restart policy, limits, ports) but not the ID file', () => {
    expect(spec.create.HostConfig).toEqual({ ...replica().HostConfig, ContainerIDFile: '' });
  });

  it('joins the same networks with the same aliases, its own name in place of the source', () => {
    expect(spec.create.NetworkingConfig).toEqual({
      EndpointsConfig: { shop_back: { Aliases: ['shop-web-4', 'web'] } },
    });
    expect(spec.connect).toEqual([
      {
        network: 'shop_front',
        endpoint: {
          Aliases: ['shop-web-4', 'web', 'webalias'],
          IPAMConfig: { LinkLocalIPs: ['169.254.1.1'] },
        },
      },
    ]);
    // Compose v1 gives no container name as an alias: none is added.
    const v1 = replica({ name: '/shop_web_1' });
    v1.NetworkSettings.Networks.shop_back!.Aliases = ['web', ID.slice(0, 12)];
    expect(replicaSpec(v1, 2, 'x').create.NetworkingConfig).toEqual({
      EndpointsConfig: { shop_back: { Aliases: ['web'] } },
    });
  });

  it('finds the first network by ID too, and leaves a shared network namespace as it is', () => {
    const byId = replica();
    byId.HostConfig.NetworkMode = 'n-front';
    const copy = replicaSpec(byId, 2, 'x');
    expect(Object.keys(copy.create.NetworkingConfig?.EndpointsConfig ?? {})).toEqual(['shop_front']);
    expect(copy.connect.map((c) => c.network)).toEqual(['shop_back']);

    const shared = replica();
    shared.HostConfig.NetworkMode = `container:${'f'.repeat(64)}`;
    shared.NetworkSettings.Networks = {};
    const sharing = replicaSpec(shared, 2, 'x');
    expect(sharing.create.HostConfig?.NetworkMode).toBe(`container:${'f'.repeat(64)}`);
    expect(sharing.create).not.toHaveProperty('NetworkingConfig');
    expect(sharing.connect).toEqual([]);
  });

  it('is never made from what cannot be scaled', () => {
    expect(() =>
      replicaSpec(withPorts(replica(), { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }), 2, 'x'),
    ).toThrow(/host port 8080/);
  });
});
