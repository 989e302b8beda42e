/**
 * Consul data is untrusted input to the nginx config: anyone who can write to
 * Consul can register a service or set a key. Before a value reaches a
 * template it must have a shape that nginx reads as one plain word (or a few),
 * never as a statement end, a block, a quote or a comment. Unsafe instances
 * are dropped, unsafe tags and meta removed, unsafe KV values read as missing,
 * each with a reason that names the value's owner.
 *
 * Addresses are checked as nginx reads them: a dotted quad in range, or an
 * IPv6 address (which the template gets in brackets, as `server` and
 * `proxy_pass` need it). A host name would make `nginx -t` ask DNS, and one
 * that does not resolve fails the whole file, so host names pass only for a
 * template that asks for them (see allowsHostNames).
 */
import { isIPv6 } from 'node:net';
import {
  META_KEY_PATTERN,
  SERVICE_ID_PATTERN,
  SERVICE_NAME_PATTERN,
  TAG_PATTERN,
  isIPv4,
} from '../registrator/validation.js';
import type { CatalogServiceEntry, ServiceInstance } from '../template/index.js';

const NODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const HOST_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const META_VALUE_MAX = 512;
// A statement end, a block, a quote, an escape, a variable or a control character (a newline too).
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONFIG_SYNTAX = /[;{}'"`$\\\u0000-\u001f\u007f]/;
// nginx reads "#" as a comment where a word would start.
const COMMENT_START = /(^|\s)#/;

/** The comment a template carries to accept instances registered with a host name. */
export const ALLOW_HOST_NAMES_PRAGMA = 'discovery-tray: allow-hostnames';

/** True when the template has a `{{/* discovery-tray: allow-hostnames *\/}}` comment. */
export function allowsHostNames(templateSource: string): boolean {
  return /\{\{-?\s*\/\*\s*discovery-tray:\s*allow-hostnames\s*\*\/\s*-?\}\}/.test(templateSource);
}

/** Text that nginx reads as words only: no statement end, block, quote, variable, comment or line break. */
export function isSafeConfigText(value: string): boolean {
  return !CONFIG_SYNTAX.test(value) && !COMMENT_START.test(value);
}

/** A DNS name nginx could resolve: labels of letters, digits and hyphens, the last one not all digits. */
export function isHostName(address: string): boolean {
  if (address.length > 253) return false;
  const labels = address.replace(/\.$/, '').split('.');
  return labels.every((l) => HOST_LABEL.test(l)) && /[A-Za-z]/.test(labels[labels.length - 1] ?? '');
}

export type AddressForm = { kind: 'ip'; rendered: string } | { kind: 'host' } | { kind: 'invalid' };

/** How an address can appear in the config: IPv6 in brackets; a host name only when allowed. */
export function addressForm(address: string): AddressForm {
  if (isIPv4(address)) return { kind: 'ip', rendered: address };
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // A zone (fe80::1%eth0) is not something nginx parses.
  if (!bare.includes('%') && isIPv6(bare)) return { kind: 'ip', rendered: `[${bare}]` };
  if (isHostName(address)) return { kind: 'host' };
  return { kind: 'invalid' };
}

export interface SanitizedInstance {
  instance: ServiceInstance;
  /** The address is a host name: rendered only for a template that allows host names. */
  hostName: boolean;
}

export interface RefusedInstance {
  serviceId: string;
  service: string;
  address: string;
  reason: string;
}

export type SanitizeResult = SanitizedInstance | { refused: RefusedInstance };

function describe(instance: ServiceInstance): string {
  return `service ${JSON.stringify(instance.Name)} instance ${JSON.stringify(instance.ID)}`;
}

export function sanitizeInstance(instance: ServiceInstance, warn: (message: string) => void): SanitizeResult {
  const label = describe(instance);
  const refuse = (reason: string): SanitizeResult => {
    warn(`${label}: ${reason}; it is left out of the config`);
    return {
      refused: {
        serviceId: instance.ID,
        service: instance.Name,
        address: `${instance.Address}:${instance.Port}`,
        reason,
      },
    };
  };
  if (!SERVICE_NAME_PATTERN.test(instance.Name) || !SERVICE_ID_PATTERN.test(instance.ID))
    return refuse('name or ID has characters that are not allowed');
  const form = addressForm(instance.Address);
  if (form.kind === 'invalid')
    return refuse(
      `address ${JSON.stringify(instance.Address)} is not an IP address (IPv4, or IPv6) or a host name`,
    );
  if (!Number.isInteger(instance.Port) || instance.Port < 1 || instance.Port > 65535)
    return refuse(`port ${instance.Port} is not a TCP port`);
  const tags = instance.Tags.filter((tag) => {
    const ok = TAG_PATTERN.test(tag);
    if (!ok) warn(`${label}: tag ${JSON.stringify(tag)} was dropped (unsafe characters)`);
    return ok;
  });
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(instance.ServiceMeta)) {
    if (META_KEY_PATTERN.test(key) && value.length <= META_VALUE_MAX && isSafeConfigText(value))
      meta[key] = value;
    else warn(`${label}: meta ${JSON.stringify(key)} was dropped (unsafe characters)`);
  }
  const node = addressForm(instance.NodeAddress);
  return {
    instance: {
      ...instance,
      Address: form.kind === 'ip' ? form.rendered : instance.Address,
      Node: NODE_PATTERN.test(instance.Node) ? instance.Node : 'node',
      NodeAddress: node.kind === 'ip' ? node.rendered : '',
      Tags: tags,
      ServiceMeta: meta,
    },
    hostName: form.kind === 'host',
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
