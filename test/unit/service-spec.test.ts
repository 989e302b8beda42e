import { describe, expect, it } from 'vitest';
import {
  hasDockerHealthcheck,
  type ContainerFacts,
  type PortBinding,
} from '../../main/engine/registrator/container-facts.js';
import { readPortMetadata } from '../../main/engine/registrator/service-metadata.js';
import {
  DEFAULT_CHECK_INTERVAL,
  defaultServiceName,
  servicesForContainer,
  type ServiceDefinition,
  type ServiceSpecOptions,
} from '../../main/engine/registrator/service-spec.js';

interface ContainerInit {
  name?: string;
  image?: string;
  env?: string[];
  labels?: Record<string, string>;
  /** Keys of Config.ExposedPorts, e.g. "80/tcp". */
  exposed?: string[];
  /** NetworkSettings.Ports. */
  ports?: Record<string, PortBinding[] | null>;
  /** Network name -> container IP on it. */
  networks?: Record<string, string>;
  networkMode?: string;
  ipAddress?: string;
}

/** A container as `docker inspect` shows it, with only the fields the spec reads. */
function container(init: ContainerInit = {}): ContainerFacts {
  const networks = init.networks ?? { demo: '10.0.0.2' };
  return {
    Id: '3f4e5d6c7b8a90123456789abcdef0123456789abcdef0123456789abcdef01',
    Name: init.name ?? '/web-1',
    Config: {
      Image: init.image ?? 'registry:5000/team/app:1.2',
      Env: init.env ?? [],
      Labels: init.labels ?? {},
      ExposedPorts: Object.fromEntries((init.exposed ?? ['80/tcp']).map((key) => [key, {}])),
    },
    HostConfig: { NetworkMode: init.networkMode ?? 'demo' },
    NetworkSettings: {
      Ports: init.ports ?? {},
      Networks: Object.fromEntries(Object.entries(networks).map(([net, ip]) => [net, { IPAddress: ip }])),
      IPAddress: init.ipAddress ?? '',
    },
  };
}

type ExpectedService = Pick<ServiceDefinition, 'id' | 'name' | 'address' | 'port'> &
  Partial<ServiceDefinition>;

/** The expected service, with no tags, no meta, no check and TCP unless the case says otherwise. */
function svc(expected: ExpectedService): ServiceDefinition {
  return { tags: [], meta: {}, containerPort: expected.port, protocol: 'tcp', ...expected };
}

const HOST = 'docker-host';

interface Case {
  name: string;
  container: ContainerFacts;
  options?: Partial<ServiceSpecOptions>;
  services: ServiceDefinition[];
  /** Each entry: substrings that one warning must all contain. The number of warnings must match. */
  warnings?: string[][];
  ignored?: string;
}

const cases: Case[] = [
  // --- Names -----------------------------------------------------------------------------------------
  {
    name: 'default name is the image path base without registry port or tag',
    container: container(),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.0.0.2', port: 80 })],
  },
  {
    name: 'default name drops an image digest',
    container: container({ image: 'library/nginx@sha256:0123456789abcdef' }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'nginx', address: '10.0.0.2', port: 80 })],
  },
  {
    name: 'SERVICE_NAME sets the name',
    container: container({ env: ['SERVICE_NAME=web'] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'web', address: '10.0.0.2', port: 80 })],
  },
  {
    name: 'an empty SERVICE_NAME falls back to the image name',
    container: container({ env: ['SERVICE_NAME='] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.0.0.2', port: 80 })],
  },
  {
    name: 'SERVICE_<port>_NAME after SERVICE_NAME wins, with a conflict warning',
    container: container({ env: ['SERVICE_NAME=web', 'SERVICE_80_NAME=http'] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'http', address: '10.0.0.2', port: 80 })],
    warnings: [['SERVICE_80_NAME', 'SERVICE_NAME', '"http"', '"web"']],
  },
  {
    name: 'SERVICE_<port>_NAME before SERVICE_NAME still wins, with a conflict warning',
    container: container({ env: ['SERVICE_80_NAME=http', 'SERVICE_NAME=web'] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'http', address: '10.0.0.2', port: 80 })],
    warnings: [['SERVICE_80_NAME', 'SERVICE_NAME', '"http"', '"web"']],
  },
  {
    name: 'a label SERVICE_NAME wins over the env SERVICE_NAME',
    container: container({ env: ['SERVICE_NAME=fromenv'], labels: { SERVICE_NAME: 'fromlabel' } }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'fromlabel', address: '10.0.0.2', port: 80 })],
    warnings: [['label SERVICE_NAME', 'env SERVICE_NAME', '"fromlabel"', '"fromenv"']],
  },
  {
    name: 'a label SERVICE_<port>_NAME wins over the env SERVICE_<port>_NAME',
    container: container({ env: ['SERVICE_80_NAME=fromenv'], labels: { SERVICE_80_NAME: 'fromlabel' } }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'fromlabel', address: '10.0.0.2', port: 80 })],
    warnings: [['"fromlabel"', '"fromenv"']],
  },
  {
    name: 'an env SERVICE_<port>_NAME wins over a generic label SERVICE_NAME',
    container: container({ env: ['SERVICE_80_NAME=http'], labels: { SERVICE_NAME: 'web' } }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'http', address: '10.0.0.2', port: 80 })],
    warnings: [['"http"', '"web"']],
  },
  {
    name: 'SERVICE_<port>_NAME for another port does not apply',
    container: container({ env: ['SERVICE_443_NAME=secure'] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.0.0.2', port: 80 })],
  },
  {
    name: 'a name with a space is refused: port not registered, warning',
    container: container({ env: ['SERVICE_NAME=my web'] }),
    services: [],
    warnings: [['"my web"', 'not registered']],
  },

  // --- Several ports ---------------------------------------------------------------------------------
  {
    name: 'multi-port: default names get a -<port> suffix',
    container: container({ exposed: ['443/tcp', '80/tcp'] }),
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'app-80', address: '10.0.0.2', port: 80 }),
      svc({ id: `${HOST}:web-1:443`, name: 'app-443', address: '10.0.0.2', port: 443 }),
    ],
  },
  {
    name: 'multi-port: a generic SERVICE_NAME gets a -<port> suffix',
    container: container({ exposed: ['80/tcp', '443/tcp'], env: ['SERVICE_NAME=web'] }),
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'web-80', address: '10.0.0.2', port: 80 }),
      svc({ id: `${HOST}:web-1:443`, name: 'web-443', address: '10.0.0.2', port: 443 }),
    ],
  },
  {
    name: 'multi-port: a name from SERVICE_<port>_NAME has no suffix; the other port keeps it',
    container: container({
      exposed: ['80/tcp', '443/tcp'],
      env: ['SERVICE_NAME=web', 'SERVICE_80_NAME=http'],
    }),
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'http', address: '10.0.0.2', port: 80 }),
      svc({ id: `${HOST}:web-1:443`, name: 'web-443', address: '10.0.0.2', port: 443 }),
    ],
    warnings: [['port 80', '"http"', '"web"']],
  },
  {
    name: 'multi-port: SERVICE_<port>_IGNORE skips that port only; the other keeps its suffix',
    container: container({ exposed: ['80/tcp', '443/tcp'], env: ['SERVICE_80_IGNORE=1'] }),
    services: [svc({ id: `${HOST}:web-1:443`, name: 'app-443', address: '10.0.0.2', port: 443 })],
  },
  {
    name: 'multi-port: SERVICE_<port>_TAGS wins over SERVICE_TAGS for its port only',
    container: container({
      exposed: ['80/tcp', '443/tcp'],
      env: ['SERVICE_TAGS=common', 'SERVICE_443_TAGS=secure'],
    }),
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'app-80', address: '10.0.0.2', port: 80, tags: ['common'] }),
      svc({ id: `${HOST}:web-1:443`, name: 'app-443', address: '10.0.0.2', port: 443, tags: ['secure'] }),
    ],
    warnings: [['port 443', 'tags', '"secure"', '"common"']],
  },
  {
    name: 'multi-port: port-specific meta applies to its port only',
    container: container({
      exposed: ['80/tcp', '443/tcp'],
      env: ['SERVICE_80_OWNER=alice', 'SERVICE_TEAM=core'],
    }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app-80',
        address: '10.0.0.2',
        port: 80,
        meta: { owner: 'alice', team: 'core' },
      }),
      svc({
        id: `${HOST}:web-1:443`,
        name: 'app-443',
        address: '10.0.0.2',
        port: 443,
        meta: { team: 'core' },
      }),
    ],
  },

  // --- UDP -------------------------------------------------------------------------------------------
  {
    name: 'UDP port: ":udp" ID suffix and a "udp" tag',
    container: container({ exposed: ['53/udp'] }),
    services: [
      svc({
        id: `${HOST}:web-1:53:udp`,
        name: 'app',
        address: '10.0.0.2',
        port: 53,
        tags: ['udp'],
        protocol: 'udp',
      }),
    ],
  },
  {
    name: 'TCP and UDP on the same port number: two services, the UDP one tagged',
    container: container({ exposed: ['53/udp', '53/tcp'], env: ['SERVICE_TAGS=dns'] }),
    services: [
      svc({ id: `${HOST}:web-1:53`, name: 'app-53', address: '10.0.0.2', port: 53, tags: ['dns'] }),
      svc({
        id: `${HOST}:web-1:53:udp`,
        name: 'app-53',
        address: '10.0.0.2',
        port: 53,
        tags: ['dns', 'udp'],
        protocol: 'udp',
      }),
    ],
  },

  // --- IDs -------------------------------------------------------------------------------------------
  {
    name: 'ID uses the container name without its slash',
    container: container({ name: '/shop_api_1' }),
    options: { hostname: 'laptop.local' },
    services: [svc({ id: 'laptop.local:shop_api_1:80', name: 'app', address: '10.0.0.2', port: 80 })],
  },
  {
    name: 'SERVICE_ID overrides the ID',
    container: container({ env: ['SERVICE_ID=my-id'] }),
    services: [svc({ id: 'my-id', name: 'app', address: '10.0.0.2', port: 80 })],
  },
  {
    name: 'SERVICE_<port>_ID overrides the whole ID of a UDP port, the udp tag stays',
    container: container({ exposed: ['53/udp'], env: ['SERVICE_53_ID=dns-udp'] }),
    services: [
      svc({ id: 'dns-udp', name: 'app', address: '10.0.0.2', port: 53, tags: ['udp'], protocol: 'udp' }),
    ],
  },
  {
    name: 'an invalid SERVICE_ID is refused with a warning; the default ID is used',
    container: container({ env: ['SERVICE_ID=bad id'] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.0.0.2', port: 80 })],
    warnings: [['SERVICE_ID', `${HOST}:web-1:80`]],
  },

  // --- Ignore ----------------------------------------------------------------------------------------
  {
    name: 'SERVICE_IGNORE=true ignores the container',
    container: container({ env: ['SERVICE_IGNORE=true'] }),
    services: [],
  },
  {
    name: 'SERVICE_IGNORE=false still ignores, with a warning',
    container: container({ env: ['SERVICE_IGNORE=false'] }),
    services: [],
    warnings: [['SERVICE_IGNORE', '"false"']],
  },
  {
    name: 'a label SERVICE_IGNORE ignores the container',
    container: container({ labels: { SERVICE_IGNORE: 'yes' } }),
    services: [],
  },
  {
    name: 'an empty SERVICE_IGNORE does not ignore',
    container: container({ env: ['SERVICE_IGNORE='] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.0.0.2', port: 80 })],
  },

  // --- Tags and meta ---------------------------------------------------------------------------------
  {
    name: 'SERVICE_TAGS are split on commas and trimmed; forced tags are added',
    container: container({ env: ['SERVICE_TAGS=a, b ,,c'] }),
    options: { forceTags: ['env=dev'] },
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        tags: ['a', 'b', 'c', 'env=dev'],
      }),
    ],
  },
  {
    name: 'tags with ; } spaces or newlines are dropped with warnings; good tags stay',
    container: container({ env: ['SERVICE_TAGS=good,bad;tag,evil},has space,new\nline,also-good'] }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        tags: ['good', 'also-good'],
      }),
    ],
    warnings: [['"bad;tag"'], ['"evil}"'], ['"has space"'], ['"new\\nline"']],
  },
  {
    name: 'other SERVICE_* keys become meta (lowercased); non-SERVICE env and labels do not',
    container: container({
      env: ['PATH=/usr/bin', 'SERVICE_TEAM=core', 'SERVICE_VERSION=1.2', 'SERVICE_TAGS=x'],
      labels: { 'com.example.owner': 'ops', SERVICE_Region: 'eu' },
    }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        tags: ['x'],
        meta: { team: 'core', version: '1.2', region: 'eu' },
      }),
    ],
  },
  {
    name: 'a label meta value wins over the env one',
    container: container({ env: ['SERVICE_TEAM=env-team'], labels: { SERVICE_TEAM: 'label-team' } }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        meta: { team: 'label-team' },
      }),
    ],
  },
  {
    name: 'a meta value with a newline is dropped with a warning; other meta stays',
    container: container({ env: ['SERVICE_OWNER=alice\nbob', 'SERVICE_TEAM=core'] }),
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.0.0.2', port: 80, meta: { team: 'core' } }),
    ],
    warnings: [['SERVICE_OWNER']],
  },

  // --- Checks ----------------------------------------------------------------------------------------
  {
    name: 'SERVICE_CHECK_HTTP: HTTP check on the container address, default interval',
    container: container({ env: ['SERVICE_CHECK_HTTP=/health'] }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        check: { http: 'http://10.0.0.2:80/health', interval: '10s' },
      }),
    ],
  },
  {
    name: 'SERVICE_CHECK_HTTP in published mode checks the host address and port',
    container: container({
      env: ['SERVICE_CHECK_HTTP=/health?full=1'],
      ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] },
    }),
    options: { mode: 'published' },
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '127.0.0.1',
        port: 8080,
        containerPort: 80,
        check: { http: 'http://127.0.0.1:8080/health?full=1', interval: '10s' },
      }),
    ],
  },
  {
    name: 'SERVICE_CHECK_HTTPS with SERVICE_CHECK_TLS_SKIP_VERIFY',
    container: container({
      exposed: ['443/tcp'],
      env: ['SERVICE_CHECK_HTTPS=/ready', 'SERVICE_CHECK_TLS_SKIP_VERIFY=true'],
    }),
    services: [
      svc({
        id: `${HOST}:web-1:443`,
        name: 'app',
        address: '10.0.0.2',
        port: 443,
        check: { http: 'https://10.0.0.2:443/ready', tlsSkipVerify: true, interval: '10s' },
      }),
    ],
  },
  {
    name: 'SERVICE_CHECK_TCP with interval, timeout, deregister-after and initial status',
    container: container({
      exposed: ['5432/tcp'],
      env: [
        'SERVICE_CHECK_TCP=true',
        'SERVICE_CHECK_INTERVAL=5s',
        'SERVICE_CHECK_TIMEOUT=1500ms',
        'SERVICE_CHECK_DEREGISTER_AFTER=1m30s',
        'SERVICE_CHECK_INITIAL_STATUS=passing',
      ],
    }),
    services: [
      svc({
        id: `${HOST}:web-1:5432`,
        name: 'app',
        address: '10.0.0.2',
        port: 5432,
        check: {
          tcp: '10.0.0.2:5432',
          interval: '5s',
          timeout: '1500ms',
          deregisterCriticalServiceAfter: '1m30s',
          status: 'passing',
        },
      }),
    ],
  },
  {
    name: 'a bad SERVICE_CHECK_INTERVAL is ignored with a warning; the default interval is used',
    container: container({ env: ['SERVICE_CHECK_HTTP=/health', 'SERVICE_CHECK_INTERVAL=often'] }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        check: { http: 'http://10.0.0.2:80/health', interval: DEFAULT_CHECK_INTERVAL },
      }),
    ],
    warnings: [['SERVICE_CHECK_INTERVAL', 'often']],
  },
  {
    name: 'a bad SERVICE_CHECK_TIMEOUT is ignored with a warning',
    container: container({ env: ['SERVICE_CHECK_TCP=1', 'SERVICE_CHECK_TIMEOUT=5 seconds'] }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        check: { tcp: '10.0.0.2:80', interval: '10s' },
      }),
    ],
    warnings: [['SERVICE_CHECK_TIMEOUT', '5 seconds']],
  },
  {
    name: 'an unknown SERVICE_CHECK_INITIAL_STATUS is ignored with a warning',
    container: container({ env: ['SERVICE_CHECK_HTTP=/health', 'SERVICE_CHECK_INITIAL_STATUS=green'] }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        check: { http: 'http://10.0.0.2:80/health', interval: '10s' },
      }),
    ],
    warnings: [['SERVICE_CHECK_INITIAL_STATUS', 'green']],
  },
  {
    name: 'SERVICE_CHECK_SCRIPT is not supported: warning, no check, not meta',
    container: container({ env: ['SERVICE_CHECK_SCRIPT=curl -f localhost'] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.0.0.2', port: 80 })],
    warnings: [['SERVICE_CHECK_SCRIPT', 'not supported']],
  },
  {
    name: 'an unknown SERVICE_CHECK_FOO warns; the HTTP check is kept',
    container: container({ env: ['SERVICE_CHECK_HTTP=/health', 'SERVICE_CHECK_FOO=bar'] }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app',
        address: '10.0.0.2',
        port: 80,
        check: { http: 'http://10.0.0.2:80/health', interval: '10s' },
      }),
    ],
    warnings: [['SERVICE_CHECK_FOO']],
  },
  {
    name: 'a SERVICE_CHECK_HTTP that is not a path gives no check and a warning',
    container: container({ env: ['SERVICE_CHECK_HTTP=health; rm -rf /'] }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.0.0.2', port: 80 })],
    warnings: [['SERVICE_CHECK_HTTP', '"/"']],
  },
  {
    name: 'SERVICE_<port>_CHECK_HTTP checks its port only',
    container: container({ exposed: ['80/tcp', '9090/tcp'], env: ['SERVICE_80_CHECK_HTTP=/health'] }),
    services: [
      svc({
        id: `${HOST}:web-1:80`,
        name: 'app-80',
        address: '10.0.0.2',
        port: 80,
        check: { http: 'http://10.0.0.2:80/health', interval: '10s' },
      }),
      svc({ id: `${HOST}:web-1:9090`, name: 'app-9090', address: '10.0.0.2', port: 9090 }),
    ],
  },
  {
    // registrator's consul adapter tests `Attrs["check_http"] != ""`, then falls through to check_https.
    name: 'an empty SERVICE_CHECK_HTTP is unset: SERVICE_CHECK_HTTPS gives the check',
    container: container({
      exposed: ['443/tcp'],
      env: ['SERVICE_CHECK_HTTP=', 'SERVICE_CHECK_HTTPS=/health'],
    }),
    services: [
      svc({
        id: `${HOST}:web-1:443`,
        name: 'app',
        address: '10.0.0.2',
        port: 443,
        check: { http: 'https://10.0.0.2:443/health', interval: '10s' },
      }),
    ],
  },

  // --- Internal mode addresses -----------------------------------------------------------------------
  {
    name: 'internal: a preferred network wins over the network mode and the sorted names',
    container: container({
      networkMode: 'backend',
      networks: { alpha: '10.1.0.2', backend: '10.2.0.2', demo: '10.3.0.2' },
    }),
    options: { preferredNetworks: ['missing', 'demo'] },
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.3.0.2', port: 80 })],
  },
  {
    name: 'internal: the network-mode network wins over the sorted names',
    container: container({ networkMode: 'backend', networks: { alpha: '10.1.0.2', backend: '10.2.0.2' } }),
    options: { preferredNetworks: ['demo'] },
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.2.0.2', port: 80 })],
  },
  {
    name: 'internal: with network mode bridge, the first network by name that has an IP',
    container: container({
      networkMode: 'bridge',
      networks: { zeta: '10.9.0.2', beta: '', gamma: '10.7.0.2' },
    }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.7.0.2', port: 80 })],
  },
  {
    name: 'internal: falls back to NetworkSettings.IPAddress',
    container: container({ networkMode: 'default', networks: {}, ipAddress: '172.17.0.5' }),
    services: [svc({ id: `${HOST}:web-1:80`, name: 'app', address: '172.17.0.5', port: 80 })],
  },
  {
    name: 'internal: no IP address at all: not registered, with a warning',
    container: container({ networkMode: 'none', networks: {} }),
    services: [],
    warnings: [['no IP address', 'none']],
  },

  // --- Published mode --------------------------------------------------------------------------------
  {
    name: 'published: a 0.0.0.0 binding registers 127.0.0.1 and the host port',
    container: container({ ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '32768' }] } }),
    options: { mode: 'published' },
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'app', address: '127.0.0.1', port: 32768, containerPort: 80 }),
    ],
  },
  {
    name: 'published: hostIp option for all-interface bindings; the IPv4 binding is preferred',
    container: container({
      ports: {
        '80/tcp': [
          { HostIp: '::', HostPort: '49154' },
          { HostIp: '0.0.0.0', HostPort: '49153' },
        ],
      },
    }),
    options: { mode: 'published', hostIp: '192.168.1.10' },
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'app', address: '192.168.1.10', port: 49153, containerPort: 80 }),
    ],
  },
  {
    name: 'published: an IPv6-only "::" binding uses the hostIp option',
    container: container({ ports: { '80/tcp': [{ HostIp: '::', HostPort: '8080' }] } }),
    options: { mode: 'published', hostIp: '192.168.1.10' },
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'app', address: '192.168.1.10', port: 8080, containerPort: 80 }),
    ],
  },
  {
    name: 'published: a binding to a specific host IP registers that IP',
    container: container({ ports: { '80/tcp': [{ HostIp: '10.1.2.3', HostPort: '8080' }] } }),
    options: { mode: 'published', hostIp: '192.168.1.10' },
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'app', address: '10.1.2.3', port: 8080, containerPort: 80 }),
    ],
  },
  {
    name: 'published: unpublished ports are skipped and do not count for the -<port> suffix',
    container: container({
      exposed: ['80/tcp', '9000/tcp'],
      ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '9000/tcp': null },
    }),
    options: { mode: 'published' },
    services: [
      svc({ id: `${HOST}:web-1:80`, name: 'app', address: '127.0.0.1', port: 8080, containerPort: 80 }),
    ],
  },
  {
    name: 'published: a container with no published port is ignored',
    container: container({ exposed: ['80/tcp'], ports: { '80/tcp': null } }),
    options: { mode: 'published' },
    services: [],
    ignored: 'no published ports (published mode)',
  },
  {
    name: 'published: a UDP port keeps its suffix and tag',
    container: container({ exposed: [], ports: { '53/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }] } }),
    options: { mode: 'published' },
    services: [
      svc({
        id: `${HOST}:web-1:53:udp`,
        name: 'app',
        address: '127.0.0.1',
        port: 5353,
        containerPort: 53,
        tags: ['udp'],
        protocol: 'udp',
      }),
    ],
  },

  // --- Whole container -------------------------------------------------------------------------------
  {
    name: 'a container with no ports is ignored',
    container: container({ exposed: [] }),
    services: [],
    ignored: 'no exposed or published ports',
  },
  {
    name: 'explicit mode: a container without a name is not registered',
    container: container({ env: ['SERVICE_TAGS=x'] }),
    options: { explicit: true },
    services: [],
  },
  {
    name: 'explicit mode: a container with SERVICE_NAME is registered',
    container: container({ labels: { SERVICE_NAME: 'web' } }),
    options: { explicit: true },
    services: [svc({ id: `${HOST}:web-1:80`, name: 'web', address: '10.0.0.2', port: 80 })],
  },
];

describe('servicesForContainer', () => {
  it('has at least 34 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(34);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name', (c) => {
    const options: ServiceSpecOptions = { hostname: HOST, mode: 'internal', ...c.options };
    const result = servicesForContainer(c.container, options);

    expect(result.services).toEqual(c.services);
    if ('ignored' in c) expect(result.ignored).toBe(c.ignored);
    else if (c.services.length > 0) expect(result.ignored).toBeUndefined();

    const expectedWarnings = c.warnings ?? [];
    expect(result.warnings, JSON.stringify(result.warnings)).toHaveLength(expectedWarnings.length);
    for (const parts of expectedWarnings) {
      expect(
        result.warnings.some((warning) => parts.every((part) => warning.includes(part))),
        `a warning containing ${JSON.stringify(parts)} in ${JSON.stringify(result.warnings)}`,
      ).toBe(true);
    }
  });

  it('is pure: the same container gives the same result twice and is not modified', () => {
    const input = container({ exposed: ['80/tcp', '53/udp'], env: ['SERVICE_TAGS=a,b'] });
    const snapshot = structuredClone(input);
    const first = servicesForContainer(input, { hostname: HOST, mode: 'internal' });
    const second = servicesForContainer(input, { hostname: HOST, mode: 'internal' });
    expect(second).toEqual(first);
    expect(input).toEqual(snapshot);
  });
});

describe('defaultServiceName', () => {
  it.each([
    ['registry:5000/team/app:1.2', 'app'],
    ['nginx', 'nginx'],
    ['nginx:1.27-alpine', 'nginx'],
    ['library/redis:7', 'redis'],
    ['localhost:5000/app', 'app'],
    ['ghcr.io/org/api@sha256:abcdef', 'api'],
    ['ghcr.io/org/api:2@sha256:abcdef', 'api'],
  ])('%s -> %s', (image, expected) => {
    expect(defaultServiceName(image)).toBe(expected);
  });
});

describe('readPortMetadata', () => {
  it('reads SERVICE_* keys lowercased, ignoring other variables and malformed entries', () => {
    const metadata = readPortMetadata(
      [
        'PATH=/bin',
        'SERVICE_NAME=web',
        'SERVICE_Check_HTTP=/h',
        'SERVICE_=x',
        'SERVICE_NOVALUE',
        '=SERVICE_X',
      ],
      { maintainer: 'me' },
      '80',
    );
    expect(Object.fromEntries([...metadata.values].map(([key, entry]) => [key, entry.value]))).toEqual({
      name: 'web',
      check_http: '/h',
    });
    expect([...metadata.fromPort]).toEqual([]);
    expect(metadata.overrides).toEqual([]);
  });

  it('lets a label win over env for the same key and records the override with its sources', () => {
    const metadata = readPortMetadata(['SERVICE_NAME=a'], { SERVICE_NAME: 'b' }, '80');
    expect(metadata.values.get('name')).toEqual({ value: 'b', source: 'label SERVICE_NAME="b"' });
    expect(metadata.overrides).toEqual([
      {
        key: 'name',
        winner: { value: 'b', source: 'label SERVICE_NAME="b"' },
        loser: { value: 'a', source: 'env SERVICE_NAME="a"' },
      },
    ]);
  });

  it.each([
    ['generic first', ['SERVICE_NAME=web', 'SERVICE_80_NAME=http']],
    ['port-specific first', ['SERVICE_80_NAME=http', 'SERVICE_NAME=web']],
  ])('port-specific wins over generic (%s)', (_order, env) => {
    const metadata = readPortMetadata(env, {}, '80');
    expect(metadata.values.get('name')?.value).toBe('http');
    expect(metadata.fromPort.has('name')).toBe(true);
    expect(metadata.overrides).toHaveLength(1);
    expect(metadata.overrides[0]?.winner.value).toBe('http');
    expect(metadata.overrides[0]?.loser.value).toBe('web');
  });

  it('ignores keys for other ports', () => {
    const metadata = readPortMetadata(['SERVICE_443_NAME=secure', 'SERVICE_8080_TAGS=x'], {}, '80');
    expect(metadata.values.size).toBe(0);
    expect(metadata.fromPort.size).toBe(0);
  });

  it('keeps a value containing "=" whole', () => {
    const metadata = readPortMetadata(['SERVICE_TAGS=a=b,c'], {}, '80');
    expect(metadata.values.get('tags')?.value).toBe('a=b,c');
  });

  it('does not record an override when both sources agree', () => {
    const metadata = readPortMetadata(['SERVICE_NAME=web'], { SERVICE_NAME: 'web' }, '80');
    expect(metadata.values.get('name')?.source).toBe('label SERVICE_NAME="web"');
    expect(metadata.overrides).toEqual([]);
  });
});

describe('hasDockerHealthcheck', () => {
  const base = container();

  it('is true for a HEALTHCHECK command', () => {
    expect(
      hasDockerHealthcheck({ ...base, Config: { ...base.Config, Healthcheck: { Test: ['CMD', 'true'] } } }),
    ).toBe(true);
  });

  it('is false for HEALTHCHECK NONE, even with a health state', () => {
    expect(
      hasDockerHealthcheck({
        ...base,
        Config: { ...base.Config, Healthcheck: { Test: ['NONE'] } },
        State: { Running: true, Health: { Status: 'healthy' } },
      }),
    ).toBe(false);
  });

  it('is true when only the state reports health', () => {
    expect(hasDockerHealthcheck({ ...base, State: { Running: true, Health: { Status: 'starting' } } })).toBe(
      true,
    );
  });

  it('is false without a healthcheck or health state', () => {
    expect(hasDockerHealthcheck(base)).toBe(false);
    expect(hasDockerHealthcheck({ ...base, State: { Running: true, Health: null } })).toBe(false);
    expect(hasDockerHealthcheck({ ...base, Config: { ...base.Config, Healthcheck: { Test: [] } } })).toBe(
      false,
    );
  });
});
