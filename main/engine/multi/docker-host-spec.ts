/**
 * One `--docker-host` value when several are given: the engine's address, then options after
 * commas, e.g. `tcp://10.1.2.3:2375,ip=10.1.2.3,name=lab2` or `ssh://me@lab3,ip=10.1.2.4`.
 * - `ip=` is the address other machines (and the LB) reach that host's published ports on,
 *   as registrator's `-ip`; default: the address's host name for tcp:// and ssh://.
 * - `name=` is what status, the dashboard and the `dt-host` meta call it; default: the host name.
 * - `tls=DIR` reads ca.pem, cert.pem and key.pem from DIR and checks the engine's certificate.
 */
import { isIPv4 } from '../registrator/validation.js';
import { parseDockerAddress } from '../docker/docker-address.js';
import { SPREAD } from './placement.js';

export interface FollowedHostSpec {
  /** The engine's address as given (unix://, tcp://, ssh://). */
  address: string;
  name: string;
  /** The address its published ports are registered with. */
  ip: string;
  tlsDir?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Throws an Error whose message says what to write instead. */
export function parseFollowedHost(value: string): FollowedHostSpec {
  const [address = '', ...options] = value.split(',');
  const settings = new Map<string, string>();
  for (const option of options) {
    const eq = option.indexOf('=');
    const key = eq > 0 ? option.slice(0, eq).trim() : '';
    if (!['ip', 'name', 'tls'].includes(key) || settings.has(key))
      throw new Error(
        `--docker-host ${value}: "${option}" is not an option; write ADDRESS[,ip=IPV4][,name=NAME][,tls=CERT_DIR]`,
      );
    settings.set(key, option.slice(eq + 1).trim());
  }
  const tlsDir = settings.get('tls');
  const parsed = parseDockerAddress(address, tlsDir ? { dir: tlsDir, verify: true } : undefined);
  const hostPart = parsed.kind === 'tcp' || parsed.kind === 'ssh' ? parsed.host : undefined;
  const ip = settings.get('ip') ?? (hostPart && isIPv4(hostPart) ? hostPart : undefined);
  if (!ip || !isIPv4(ip))
    throw new Error(
      `--docker-host ${value}: say which IPv4 address reaches that host's published ports, e.g. ${address},ip=10.1.2.3`,
    );
  const name = settings.get('name') ?? hostPart ?? '';
  if (!NAME.test(name))
    throw new Error(
      `--docker-host ${value}: give the host a short name (letters, digits, . _ -), e.g. ${address},name=lab2`,
    );
  if (name === SPREAD)
    throw new Error(
      `--docker-host ${value}: "${SPREAD}" is the word for spreading replicas (scale --host ${SPREAD}); give the host another name, e.g. ${address},name=lab2`,
    );
  return { address, name, ip, ...(tlsDir ? { tlsDir } : {}) };
}

/** Rejects two followed hosts with one name (their registrations would share IDs and owner). */
export function checkDistinctNames(specs: readonly FollowedHostSpec[], localName: string): void {
  const seen = new Set([localName]);
  for (const spec of specs) {
    if (seen.has(spec.name))
      throw new Error(
        `--docker-host: two engines are named "${spec.name}"; give each a name of its own with ,name=NAME`,
      );
    seen.add(spec.name);
  }
}
