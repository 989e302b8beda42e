/**
 * Can the LB open a TCP connection to a backend? Asked from inside the LB
 * container, because that is where nginx connects from: the engine's host may
 * reach addresses the LB cannot (and, by the project's rule, the engine never
 * talks to container addresses itself). The LB image's busybox `nc` has no
 * `-z`; `nc -w 1 IP PORT -e true` exits 0 once connected (it runs `true` on the
 * connection, which closes it), 1 when refused or after the one-second connect
 * timeout. Without `-e` (a busybox built without it) nc stays connected until the
 * backend closes, which a backend still starting up, or one that never closes on
 * the client's EOF, does not do soon: so `-e` is used wherever nc has it. All
 * targets of one probe are tried at once, so a probe takes at most about a second
 * whatever their number.
 */

/** One backend as registered: what nginx would connect to. */
export interface ProbeTarget {
  address: string;
  port: number;
}

/** undefined: connected; else what `nc` said (refused, timed out, …). */
export type ProbeResults = Map<string, string | undefined>;

/** The connect timeout of each target, in seconds (nc's -w). */
export const PROBE_CONNECT_TIMEOUT_S = 1;
/** At most this many targets in one probe (one nc process each). */
export const MAX_PROBE_TARGETS = 32;

export function targetKey(target: ProbeTarget): string {
  return `${target.address}:${target.port}`;
}

/**
 * Only plain IPv4/IPv6 addresses and host names, and a port: the target goes into a shell
 * command line. Consul's values were checked already (sanitize.ts); this is the last guard.
 */
export function isProbeable(target: ProbeTarget): boolean {
  return (
    /^[A-Za-z0-9._:-]{1,253}$/.test(target.address) &&
    !target.address.startsWith('-') &&
    Number.isInteger(target.port) &&
    target.port > 0 &&
    target.port < 65536
  );
}

/** The shell variable that holds `-e true` when the LB's nc takes `-e` (set by NC_AFTER_CONNECT). */
export const NC_AFTER_VAR = 'nc_after';

/** Sets NC_AFTER_VAR: one look at nc's usage, once per supervisor (or per exec). */
export const NC_AFTER_CONNECT = `${NC_AFTER_VAR}=''; case "$(nc --help 2>&1)" in *'-e PROG'*) ${NC_AFTER_VAR}='-e true' ;; esac`;

/**
 * The shell that probes `targets` (each `address:port`, already checked by isProbeable) in
 * parallel and prints one line per target: `ok <target>` or `no <target> <what nc said>`.
 */
export function probeScript(targets: readonly string[]): string {
  return [NC_AFTER_CONNECT, probeLoop(targets.join(' '))].join('\n');
}

/**
 * The loop over `list` (words split by the shell's IFS, which may be `,`), for the exec and for
 * the LB's supervisor; NC_AFTER_VAR must be set (NC_AFTER_CONNECT).
 */
export function probeLoop(list: string): string {
  return [
    `for t in ${list}; do`,
    // Each target in a subshell of its own, whose IFS splits NC_AFTER_VAR's two words.
    `  ( IFS=' '; ${probeOne('t')} && echo "ok $t" || echo "no $t $e" ) &`,
    'done',
    'wait',
  ].join('\n');
}

/**
 * Connects to the `address:port` in shell variable `variable` (IFS must split NC_AFTER_VAR on a
 * space): true once connected, else false with nc's words in `e`.
 */
export function probeOne(variable: string): string {
  return `e=$(nc -w ${PROBE_CONNECT_TIMEOUT_S} "\${${variable}%:*}" "\${${variable}##*:}" $${NC_AFTER_VAR} </dev/null 2>&1 >/dev/null)`;
}

/** Reads probeScript's output; a target it does not mention counts as not reached. */
export function parseProbeOutput(output: string, targets: readonly string[]): ProbeResults {
  const said = new Map<string, string | undefined>();
  for (const line of output.split('\n')) {
    const match = /^(ok|no) (\S+)(?: (.*))?$/.exec(line.trim());
    if (!match) continue;
    const [, verdict, target, message] = match;
    said.set(target!, verdict === 'ok' ? undefined : describeNcMessage(message ?? ''));
  }
  const results: ProbeResults = new Map();
  for (const target of targets)
    results.set(target, said.has(target) ? said.get(target) : 'the probe gave no answer');
  return results;
}

/** nc's own words, made into the reason a user reads ("connection refused", "timed out after 1 s"). */
function describeNcMessage(message: string): string {
  const text = message.replace(/^nc: /, '').trim();
  if (/timed out/i.test(text)) return `no answer within ${PROBE_CONNECT_TIMEOUT_S} s`;
  if (/refused/i.test(text)) return 'connection refused (nothing listens on that port)';
  if (/unreachable/i.test(text)) return 'no route to that address';
  return text.slice(0, 200) || 'could not connect';
}
