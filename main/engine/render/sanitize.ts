/**
 * Consul data is untrusted input to the nginx config: anyone who can write to
 * Consul can register a service. Before an instance reaches a template, its
 * address, port, names, tags and meta must have shapes that cannot close a
 * directive or open a block. Unsafe instances are dropped, unsafe tags and meta
 * removed, each with a warning that names the service.
 */
import {
  META_KEY_PATTERN,
  SERVICE_ID_PATTERN,
  SERVICE_NAME_PATTERN,
  TAG_PATTERN,
  isIPv4,
} from '../registrator/validation.js';
import type { CatalogServiceEntry, ServiceInstance } from '../template/index.js';

const HOSTNAME_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const IPV6_PATTERN = /^[0-9A-Fa-f:.]{2,45}$/;
const NODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
// Meta values may hold text (a version, a URL), but nothing that ends or opens an nginx statement.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const SAFE_META_VALUE = /^[^;{}'"`$\\\u0000-\u001f\u007f]{0,512}$/;

export function isSafeAddress(address: string): boolean {
  return (
    isIPv4(address) || (address.includes(':') && IPV6_PATTERN.test(address)) || HOSTNAME_PATTERN.test(address)
  );
}

export function sanitizeInstance(
  instance: ServiceInstance,
  warn: (message: string) => void,
): ServiceInstance | undefined {
  const label = `service ${JSON.stringify(instance.Name)} instance ${JSON.stringify(instance.ID)}`;
  if (!SERVICE_NAME_PATTERN.test(instance.Name) || !SERVICE_ID_PATTERN.test(instance.ID)) {
    warn(`${label}: name or ID has characters that are not allowed; it is left out of the config`);
    return undefined;
  }
  if (!isSafeAddress(instance.Address)) {
    warn(
      `${label}: address ${JSON.stringify(instance.Address)} is not an IP address or host name; it is left out of the config`,
    );
    return undefined;
  }
  if (!Number.isInteger(instance.Port) || instance.Port < 1 || instance.Port > 65535) {
    warn(`${label}: port ${instance.Port} is not a TCP port; it is left out of the config`);
    return undefined;
  }
  const tags = instance.Tags.filter((tag) => {
    const ok = TAG_PATTERN.test(tag);
    if (!ok) warn(`${label}: tag ${JSON.stringify(tag)} was dropped (unsafe characters)`);
    return ok;
  });
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(instance.ServiceMeta)) {
    if (META_KEY_PATTERN.test(key) && SAFE_META_VALUE.test(value)) meta[key] = value;
    else warn(`${label}: meta ${JSON.stringify(key)} was dropped (unsafe characters)`);
  }
  return {
    ...instance,
    Node: NODE_PATTERN.test(instance.Node) ? instance.Node : 'node',
    NodeAddress: isSafeAddress(instance.NodeAddress) ? instance.NodeAddress : '',
    Tags: tags,
    ServiceMeta: meta,
  };
}

export function sanitizeCatalog(
  entries: CatalogServiceEntry[],
  warn: (message: string) => void,
): CatalogServiceEntry[] {
  return entries.flatMap((entry) => {
    if (!SERVICE_NAME_PATTERN.test(entry.Name)) {
      warn(`service name ${JSON.stringify(entry.Name)} has characters that are not allowed; left out`);
      return [];
    }
    return [{ Name: entry.Name, Tags: entry.Tags.filter((tag) => TAG_PATTERN.test(tag)) }];
  });
}
