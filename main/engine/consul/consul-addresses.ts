/**
 * The user's own Consul given as several addresses (agents of one cluster): `up --consul A --consul B`,
 * or a comma list in the setting and in DISCOVERY_TRAY_CONSUL. Every entry is read before anything
 * is used, and the engine starts on the first that answers with a leader; none answering is refused
 * before the stack is touched, so a wrong list changes nothing.
 */
import { UserError, errorMessage } from '../errors.js';
import { consulUrl, parseConsulAddress, type ConsulEndpoint } from './consul-connection.js';
import { ConsulRequestError, consulRequest } from './consul-http.js';
import { certificateAdvice, isCertificateProblem, type ConsulTrust } from './consul-tls.js';

export const CONSUL_START_LIMITS = {
  /** How long `up` waits for one of the addresses to answer with a leader before it gives up. */
  windowMs: 15_000,
  /** One probe of one address. */
  probeTimeoutMs: 1000,
  /** Between two rounds over every address. */
  roundDelayMs: 250,
} as const;

/** Entries of a list given as one text ("a, b") or as repeated flags, empty ones left out. */
export function splitConsulAddresses(given: string | readonly string[]): string[] {
  const texts = typeof given === 'string' ? [given] : given;
  return texts
    .flatMap((text) => text.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/**
 * Every address, parsed; the first bad one is refused with its position, and the same agent given
 * twice is kept once (it would be probed twice for nothing).
 */
export function parseConsulAddresses(
  given: string | readonly string[],
  token?: string,
  trust?: ConsulTrust,
): ConsulEndpoint[] {
  const entries = splitConsulAddresses(given);
  if (entries.length === 0)
    throw new UserError(
      'No Consul address given: use HOST:PORT or http(s)://HOST:PORT, e.g. 127.0.0.1:8500 (several: repeat --consul, or separate them with commas)',
      'bad-consul-address',
    );
  const endpoints = new Map<string, ConsulEndpoint>();
  for (const [index, entry] of entries.entries()) {
    let endpoint: ConsulEndpoint;
    try {
      endpoint = parseConsulAddress(entry, token, trust);
    } catch (error) {
      const where = entries.length > 1 ? ` (address ${index + 1} of ${entries.length})` : '';
      throw new UserError(`${errorMessage(error)}${where}`, 'bad-consul-address');
    }
    const url = consulUrl(endpoint);
    if (!endpoints.has(url)) endpoints.set(url, endpoint);
  }
  return [...endpoints.values()];
}

/** Why an agent is not usable now, or undefined when it answers with a leader. */
export async function leaderProblem(
  endpoint: ConsulEndpoint,
  timeoutMs: number,
): Promise<string | undefined> {
  return (await leaderCheck(endpoint, timeoutMs))?.text;
}

interface LeaderProblem {
  text: string;
  /** Node's code when the server's certificate did not verify: waiting will not change that. */
  certificate?: string;
}

async function leaderCheck(endpoint: ConsulEndpoint, timeoutMs: number): Promise<LeaderProblem | undefined> {
  try {
    const answer = await consulRequest(endpoint, '/v1/status/leader', { timeoutMs });
    // Go's answer to plain http on its TLS port: the address lacks its https://.
    if (answer.status === 400 && answer.body.includes('HTTP request to an HTTPS server'))
      return {
        text: `HTTP 400: an https port, write https://${consulUrl(endpoint).slice('http://'.length)}`,
      };
    if (answer.status !== 200) return { text: `HTTP ${answer.status}` };
    const leader: unknown = JSON.parse(answer.body);
    return typeof leader === 'string' && leader !== '' ? undefined : { text: 'no leader' };
  } catch (error) {
    if (!(error instanceof ConsulRequestError)) return { text: errorMessage(error) };
    if (error.code === 'TIMEOUT') return { text: error.message };
    if (isCertificateProblem(error.code))
      return { text: `certificate not trusted: ${error.code}`, certificate: error.code };
    return { text: error.code };
  }
}

/**
 * The index of the first address that answers with a leader, in the order given; tried in rounds
 * for `windowMs` (an agent that is starting gets that long). None: a clear error naming each
 * address and why it was not used. Every address refusing its certificate: refused at once,
 * since a certificate does not change while we wait.
 */
export async function firstLiveConsul(
  endpoints: readonly ConsulEndpoint[],
  limits: { windowMs: number; probeTimeoutMs: number; roundDelayMs: number } = CONSUL_START_LIMITS,
): Promise<number> {
  const deadline = Date.now() + limits.windowMs;
  const problems: LeaderProblem[] = [];
  do {
    for (const [index, endpoint] of endpoints.entries()) {
      const problem = await leaderCheck(endpoint, limits.probeTimeoutMs);
      if (problem === undefined) return index;
      problems[index] = problem;
    }
    if (problems.every((p) => p.certificate)) throw untrusted(endpoints, problems);
    await new Promise((resolve) => setTimeout(resolve, limits.roundDelayMs));
  } while (Date.now() < deadline);
  const listed = endpoints.map((e, i) => `${consulUrl(e)} (${problems[i]?.text ?? 'not tried'})`).join(', ');
  const several = endpoints.length > 1;
  throw new UserError(
    `${several ? 'None of the Consul addresses' : 'The Consul address'} answered with a leader in ${limits.windowMs / 1000} s: ${listed}. ` +
      `Start ${several ? 'at least one agent of your cluster' : 'your Consul'} or correct the address${several ? 'es' : ''} (HOST:PORT of its HTTP API, 8500 by default), then start again; nothing was changed.${tlsAdvice(endpoints, problems)}`,
    'consul-unavailable',
  );
}

/** What to do about the first address whose certificate did not verify, if one did not. */
function tlsAdvice(endpoints: readonly ConsulEndpoint[], problems: readonly LeaderProblem[]): string {
  const index = problems.findIndex((p) => p.certificate);
  if (index < 0) return '';
  const endpoint = endpoints[index]!;
  const advice = certificateAdvice(problems[index]!.certificate!, endpoint.host, endpoint.trust);
  return ` For ${consulUrl(endpoint)}: ${advice}.`;
}

function untrusted(endpoints: readonly ConsulEndpoint[], problems: readonly LeaderProblem[]): UserError {
  const first = endpoints[0]!;
  const code = problems[0]!.certificate!;
  const which =
    endpoints.length > 1
      ? `No Consul server presented a TLS certificate that verifies: ${endpoints.map((e, i) => `${consulUrl(e)} (${problems[i]!.certificate})`).join(', ')}. For ${consulUrl(first)}`
      : `The Consul server ${consulUrl(first)} presented a TLS certificate that does not verify (${code})`;
  return new UserError(
    `${which}: ${certificateAdvice(code, first.host, first.trust)}; then start again. Nothing was changed.`,
    'consul-untrusted',
  );
}
