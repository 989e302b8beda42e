/**
 * From a container's inspect data to the Consul services it registers, with
 * registrator's semantics (gliderlabs/registrator bridge.go), so that compose
 * files written for registrator behave the same here:
 * - SERVICE_* env vars and labels (labels win), SERVICE_<port>_* wins for its port;
 * - default name from the image; `-<port>` suffix when several ports register,
 *   unless the name came from a port-specific key;
 * - ID `<host>:<container-name>:<port>`, `:udp` and a `udp` tag for UDP ports;
 * - SERVICE_IGNORE / SERVICE_<port>_IGNORE; HTTP/HTTPS/TCP checks.
 * Where we differ, it is to fail safe: values that could inject text into an
 * nginx config are dropped with a warning, and with several networks the
 * address is chosen deterministically (the demo network first).
 */
import { detachedCopy, quoteValue } from '../text-limits.js';
import { containerName, type ContainerFacts } from './container-facts.js';
import { readPortMetadata, type PortMetadata } from './service-metadata.js';
import {
  GO_DURATION_PATTERN,
  HTTP_PATH_PATTERN,
  META_KEY_PATTERN,
  SERVICE_ID_PATTERN,
  SERVICE_NAME_PATTERN,
  TAG_PATTERN,
  isSafeMetaValue,
} from './validation.js';

export type RegistrationMode = 'internal' | 'published';

export interface ServiceSpecOptions {
  /** Host name used in service IDs, as registrator uses its own host's name. */
  hostname: string;
  /** internal: container IP + exposed port (registrator -internal); published: host IP + published port. */
  mode: RegistrationMode;
  /** Networks whose address wins when a container is on several (the demo network first). */
  preferredNetworks?: readonly string[];
  /** Address advertised in published mode for ports bound to every interface. */
  hostIp?: string;
  /** Register only containers that set a name (registrator -explicit). */
  explicit?: boolean;
  /** Tags added to every service (registrator -tags). */
  forceTags?: readonly string[];
  /**
   * Published mode on another machine: a container that publishes no port cannot be reached from
   * there, so it is skipped with a warning naming the fix (`-p`), not silently.
   */
  warnUnpublished?: boolean;
}

export interface CheckDefinition {
  http?: string;
  tcp?: string;
  tlsSkipVerify?: boolean;
  interval: string;
  timeout?: string;
  deregisterCriticalServiceAfter?: string;
  status?: 'passing' | 'warning' | 'critical';
}

export interface ServiceDefinition {
  id: string;
  name: string;
  address: string;
  port: number;
  tags: string[];
  meta: Record<string, string>;
  check?: CheckDefinition;
  /** The container port this service stands for, e.g. 80. */
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

export interface ServiceSpecResult {
  services: ServiceDefinition[];
  /** Settings that were overridden, refused or sanitised, each naming what to change. */
  warnings: string[];
  /** Why nothing at all registers, when that is the case (not an error). */
  ignored?: string;
}

export const DEFAULT_CHECK_INTERVAL = '10s';

const RESERVED_KEYS = new Set(['id', 'name', 'tags', 'ignore']);
const CHECK_KEYS = new Set([
  'check_http',
  'check_https',
  'check_tcp',
  'check_interval',
  'check_timeout',
  'check_deregister_after',
  'check_initial_status',
  'check_tls_skip_verify',
]);
const UNSUPPORTED_CHECK_KEYS = new Set([
  'check_script',
  'check_cmd',
  'check_ttl',
  'check_docker',
  'check_grpc',
]);

interface ServicePort {
  port: string;
  protocol: 'tcp' | 'udp';
  exposedIp: string | undefined;
  hostIp: string | undefined;
  hostPort: string | undefined;
}

export function defaultServiceName(image: string): string {
  const base = image.split('/').pop() ?? image;
  return base.split(/[:@]/)[0] ?? base;
}

function containerAddress(container: ContainerFacts, preferred: readonly string[]): string | undefined {
  const networks = container.NetworkSettings.Networks ?? {};
  const mode = container.HostConfig?.NetworkMode;
  const order = [
    ...preferred,
    ...(mode && !['bridge', 'default', 'host', 'none'].includes(mode) ? [mode] : []),
    ...Object.keys(networks).sort(),
  ];
  for (const name of order) {
    const ip = networks[name]?.IPAddress;
    if (ip) return ip;
  }
  return container.NetworkSettings.IPAddress || undefined;
}

function servicePorts(container: ContainerFacts, preferred: readonly string[]): ServicePort[] {
  const keys = new Set<string>([
    ...Object.keys(container.Config.ExposedPorts ?? {}),
    ...Object.keys(container.NetworkSettings.Ports ?? {}),
  ]);
  const exposedIp = containerAddress(container, preferred);
  return [...keys]
    .map((key): ServicePort => {
      const [port = key, proto] = key.split('/');
      const bindings = container.NetworkSettings.Ports?.[key] ?? [];
      // Docker lists an IPv4 and an IPv6 binding for one published port; prefer IPv4.
      const binding = bindings.find((b) => b.HostIp && !b.HostIp.includes(':')) ?? bindings[0];
      return {
        port,
        protocol: proto === 'udp' ? 'udp' : 'tcp',
        exposedIp,
        hostIp: binding?.HostIp,
        hostPort: binding?.HostPort || undefined,
      };
    })
    .sort((a, b) => Number(a.port) - Number(b.port) || a.protocol.localeCompare(b.protocol));
}

/** Consul allows as many tags as one sends; these are kept for as long as the container runs. */
export const MAX_TAGS = 64;

function parseTags(raw: string | undefined, label: string, warnings: string[]): string[] {
  if (!raw) return [];
  const tags: string[] = [];
  let dropped = 0;
  for (const tag of raw.split(',').map((t) => t.trim())) {
    if (tag === '') continue;
    if (!TAG_PATTERN.test(tag)) {
      warnings.push(
        `${label}: tag ${quoteValue(tag)} was dropped: tags may use letters, digits and _ . : / = + @ - only`,
      );
    } else if (tags.length >= MAX_TAGS) {
      dropped++;
    } else {
      // A copy: a piece of the split setting would keep the whole setting in memory.
      tags.push(detachedCopy(tag));
    }
  }
  if (dropped > 0)
    warnings.push(
      `${label}: ${dropped} tags past the first ${MAX_TAGS} were dropped (at most ${MAX_TAGS} tags)`,
    );
  return tags;
}

function durationSetting(
  metadata: PortMetadata,
  key: string,
  label: string,
  warnings: string[],
): string | undefined {
  const entry = metadata.values.get(key);
  if (!entry) return undefined;
  if (GO_DURATION_PATTERN.test(entry.value)) return entry.value;
  warnings.push(`${label}: ${entry.source} is not a duration (use e.g. 10s, 500ms, 1m); it was ignored`);
  return undefined;
}

function buildCheck(
  metadata: PortMetadata,
  address: string,
  port: number,
  label: string,
  warnings: string[],
): CheckDefinition | undefined {
  for (const key of metadata.values.keys()) {
    if (!key.startsWith('check_') || CHECK_KEYS.has(key)) continue;
    const source = metadata.values.get(key)?.source ?? key;
    warnings.push(
      UNSUPPORTED_CHECK_KEYS.has(key)
        ? `${label}: ${source} is not supported (use SERVICE_CHECK_HTTP or SERVICE_CHECK_TCP); no check from it`
        : `${label}: ${source} is not a check setting this app knows; it was ignored`,
    );
  }
  // As in registrator, an empty value is the same as no value.
  const setting = (key: string): ReturnType<typeof metadata.values.get> =>
    metadata.values.get(key)?.value ? metadata.values.get(key) : undefined;
  const httpPath = setting('check_http') ?? setting('check_https');
  const scheme = setting('check_http') ? 'http' : 'https';
  const tcp = setting('check_tcp');
  let check: CheckDefinition | undefined;
  if (httpPath) {
    if (!HTTP_PATH_PATTERN.test(httpPath.value)) {
      warnings.push(
        `${label}: ${httpPath.source} must be a path starting with "/"; the service has no check`,
      );
      return undefined;
    }
    check = { http: `${scheme}://${address}:${port}${httpPath.value}`, interval: DEFAULT_CHECK_INTERVAL };
    if (scheme === 'https' && /^(1|true)$/i.test(metadata.values.get('check_tls_skip_verify')?.value ?? '')) {
      check.tlsSkipVerify = true;
    }
  } else if (tcp) {
    check = { tcp: `${address}:${port}`, interval: DEFAULT_CHECK_INTERVAL };
  } else {
    return undefined;
  }
  check.interval = durationSetting(metadata, 'check_interval', label, warnings) ?? DEFAULT_CHECK_INTERVAL;
  const timeout = durationSetting(metadata, 'check_timeout', label, warnings);
  if (timeout) check.timeout = timeout;
  const deregister = durationSetting(metadata, 'check_deregister_after', label, warnings);
  if (deregister) check.deregisterCriticalServiceAfter = deregister;
  const status = metadata.values.get('check_initial_status');
  if (status) {
    if (status.value === 'passing' || status.value === 'warning' || status.value === 'critical') {
      check.status = status.value;
    } else {
      warnings.push(`${label}: ${status.source} must be passing, warning or critical; it was ignored`);
    }
  }
  return check;
}

function buildMeta(metadata: PortMetadata, label: string, warnings: string[]): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [key, entry] of metadata.values) {
    if (RESERVED_KEYS.has(key) || key.startsWith('check_')) continue;
    if (!META_KEY_PATTERN.test(key) || key.startsWith('consul-')) {
      warnings.push(
        `${label}: ${entry.source} cannot be Consul meta (key must be letters, digits, _ or -); ignored`,
      );
    } else if (!isSafeMetaValue(entry.value)) {
      warnings.push(`${label}: ${entry.source} has control characters or is over 512 characters; ignored`);
    } else {
      meta[key] = entry.value;
    }
  }
  return meta;
}

function conflictWarnings(metadata: PortMetadata, label: string): string[] {
  return metadata.overrides
    .filter((o) => o.key === 'name' || o.key === 'tags' || o.key === 'id')
    .map(
      (o) =>
        `${label}: ${o.winner.source} overrides ${o.loser.source}; the service ${o.key} is ${quoteValue(o.winner.value)}` +
        (o.key === 'name' ? ' (as registrator does: remove one of them to avoid surprises)' : ''),
    );
}

export function servicesForContainer(
  container: ContainerFacts,
  options: ServiceSpecOptions,
): ServiceSpecResult {
  const warnings: string[] = [];
  const name = containerName(container);
  const env = container.Config.Env ?? [];
  const labels = container.Config.Labels ?? {};
  const ports = servicePorts(container, options.preferredNetworks ?? []);
  if (ports.length === 0) return { services: [], warnings, ignored: 'no exposed or published ports' };

  const eligible = ports.filter((p) => options.mode === 'internal' || p.hostPort !== undefined);
  if (eligible.length === 0) {
    if (options.warnUnpublished)
      warnings.push(
        `container ${name} publishes no port, so it cannot be reached from another host and is not registered; run it with -p ${ports[0]!.port} (or -p HOSTPORT:${ports[0]!.port})`,
      );
    return { services: [], warnings, ignored: 'no published ports (published mode)' };
  }
  const isGroup = eligible.length > 1;

  const services: ServiceDefinition[] = [];
  for (const servicePort of eligible) {
    const label = `container ${name}, port ${servicePort.port}${servicePort.protocol === 'udp' ? '/udp' : ''}`;
    const metadata = readPortMetadata(env, labels, servicePort.port);
    warnings.push(...conflictWarnings(metadata, label));

    const ignore = metadata.values.get('ignore');
    if (ignore && ignore.value !== '') {
      if (/^(false|0|no)$/i.test(ignore.value)) {
        warnings.push(
          `${label}: ${ignore.source} still ignores the port (any value does, as in registrator); remove it to register`,
        );
      }
      continue;
    }

    const explicitName = metadata.values.get('name')?.value;
    if (!explicitName && options.explicit) continue;
    let serviceName = explicitName || defaultServiceName(container.Config.Image);
    if (isGroup && !metadata.fromPort.has('name')) serviceName += `-${servicePort.port}`;
    if (!SERVICE_NAME_PATTERN.test(serviceName)) {
      warnings.push(
        `${label}: service name ${quoteValue(serviceName)} is not allowed (letters, digits, _ . - only); the port is not registered`,
      );
      continue;
    }

    const address =
      options.mode === 'internal'
        ? servicePort.exposedIp
        : !servicePort.hostIp || servicePort.hostIp === '0.0.0.0' || servicePort.hostIp === '::'
          ? (options.hostIp ?? '127.0.0.1')
          : servicePort.hostIp;
    if (!address) {
      warnings.push(
        `${label}: the container has no IP address (network mode ${container.HostConfig?.NetworkMode ?? 'unknown'}); not registered`,
      );
      continue;
    }
    const port = Number(options.mode === 'internal' ? servicePort.port : servicePort.hostPort);

    let id = `${options.hostname}:${name}:${servicePort.port}`;
    const tags = parseTags(metadata.values.get('tags')?.value, label, warnings);
    tags.push(...(options.forceTags ?? []));
    if (servicePort.protocol === 'udp') {
      tags.push('udp');
      id += ':udp';
    }
    const customId = metadata.values.get('id');
    if (customId?.value) {
      if (SERVICE_ID_PATTERN.test(customId.value)) id = customId.value;
      else warnings.push(`${label}: ${customId.source} is not a valid service ID; using ${id}`);
    }

    const service: ServiceDefinition = {
      id,
      name: serviceName,
      address,
      port,
      tags: [...new Set(tags)],
      meta: buildMeta(metadata, label, warnings),
      containerPort: Number(servicePort.port),
      protocol: servicePort.protocol,
    };
    const check = buildCheck(metadata, address, port, label, warnings);
    if (check) service.check = check;
    services.push(service);
  }
  return { services, warnings };
}
