/**
 * The only URLs the app opens in the system browser: the demo's LB and the
 * Consul UI, as the engine reports them, and only on the loopback address.
 */
import type { EngineStatus, ExternalTarget } from '../../contract/index.js';
import { UserError } from '../engine/errors.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
      LOOPBACK_HOSTS.has(parsed.hostname) &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

/** The URL for a target, or a UserError saying why there is none. */
export function externalUrl(status: EngineStatus, target: ExternalTarget): string {
  const url = target === 'lb' ? status.lb.url : status.consul.uiUrl;
  const what = target === 'lb' ? 'load balancer' : 'Consul UI';
  if (!url) throw new UserError(`The ${what} has no address yet: start the demo first.`, 'not-ready');
  if (!isLoopbackHttpUrl(url))
    throw new UserError(
      `The ${what} address ${url} is not on this machine; it is not opened.`,
      'forbidden-url',
    );
  return url;
}
