/**
 * The files Discovery Tray keeps inside the LB container. The user's template
 * renders into an http-context file (like the classic demo's conf.d/default.conf);
 * our own main config includes it, so that one image-independent layout works
 * with nginx:alpine and with the locally built nginx alike.
 */
import { NC_AFTER_CONNECT, probeLoop, probeOne } from './lb-probe.js';
export const LB_DIR = '/etc/discovery-tray';
export const LIVE_CONF = `${LB_DIR}/nginx.conf`;
export const CANDIDATE_CONF = `${LB_DIR}/candidate.conf`;
export const LIVE_UPSTREAM = `${LB_DIR}/live/upstream.conf`;
export const CANDIDATE_UPSTREAM = `${LB_DIR}/candidate/upstream.conf`;
/** Configs that are only checked (`nginx -t`), never applied, go here. */
export const CHECK_CONF = `${LB_DIR}/check.conf`;
export const CHECK_UPSTREAM = `${LB_DIR}/check/upstream.conf`;
export const PID_FILE = '/tmp/discovery-tray-nginx.pid';
/** The number of the newest apply the LB has seen (see applyScript). */
export const SEQ_FILE = `${LB_DIR}/apply-seq`;
/** The exec variable that carries a candidate config (Linux caps one variable at 128 KiB). */
export const CANDIDATE_ENV = 'DISCOVERY_TRAY_CANDIDATE';
export const MAX_CANDIDATE_ENV_BYTES = 96 * 1024;

/** Access log line: time, the backend that served the request, status, method, duration. */
export const ACCESS_LOG_FORMAT = "'$msec $upstream_addr $status $request_method $request_time'";

export function mainConfig(includeDir: 'live' | 'candidate' | 'check'): string {
  return [
    '# Written by Discovery Tray. The rendered template is included from the folder below.',
    // One worker: nginx keeps round-robin state per worker (the classic template has no `zone`),
    // so with more workers consecutive requests would not visibly rotate over the backends.
    'worker_processes 1;',
    'error_log stderr warn;',
    `pid ${PID_FILE};`,
    'events { worker_connections 1024; }',
    'http {',
    `  log_format discovery_tray ${ACCESS_LOG_FORMAT};`,
    '  access_log /dev/stdout discovery_tray;',
    `  include ${LB_DIR}/${includeDir}/*.conf;`,
    '}',
    '',
  ].join('\n');
}

/** The command that runs nginx on our main config, in the foreground. */
export const NGINX_COMMAND = ['nginx', '-c', LIVE_CONF, '-g', 'daemon off;'];

export const APPLY_SCRIPT = `${LB_DIR}/apply.sh`;
export const CHECK_SCRIPT = `${LB_DIR}/check.sh`;
/** How often the apply script looks at nginx's workers after the HUP, in seconds. */
export const RELOAD_POLL_S = 0.005;
/** How long an apply may wait for nginx to replace its workers. */
export const DEFAULT_RELOAD_TIMEOUT_MS = 3000;
export const SUPERVISOR_SCRIPT = `${LB_DIR}/supervisor.sh`;
/** The LB container's command: the supervisor below, which runs nginx. */
export const SUPERVISOR_COMMAND = ['sh', SUPERVISOR_SCRIPT];
/** Marks an LB container whose stdin takes apply requests (older ones only take execs). */
export const CHANNEL_LABEL = 'org.discovery-tray.lb-channel';
/**
 * Version 3 requests carry the apply's number and take `check` requests:
 * `<id> <op> <number> <escaped config>`. Version 4 also takes `probe` requests
 * (`<id> probe 0 <address:port,…>`), answered in the background (lb-probe.ts).
 * Version 5 answers a one-line plain answer as it is, without base64 (see
 * supervisorScript). Version 6 also takes `swap`: an apply without `nginx -t`, for a config
 * the engine knows passes it (config-shape.ts).
 */
export const CHANNEL_VERSION = '6';
/** Supervisors whose requests are numbered: this release's and the ones before (3: no probes). */
export const NUMBERED_CHANNEL_VERSIONS: readonly string[] = [CHANNEL_VERSION, '5', '4', '3'];
/** Supervisors that take `probe` requests. */
export const PROBE_CHANNEL_VERSIONS: readonly string[] = [CHANNEL_VERSION, '5', '4'];
/** Supervisors that take `swap` requests. */
export const SWAP_CHANNEL_VERSIONS: readonly string[] = [CHANNEL_VERSION];
/** The supervisor's variable that makes the apply script skip `nginx -t` (a `swap` request). */
export const SKIP_CHECK_VAR = 'skip_check';
/**
 * Version 2 (LB containers made by the previous release) takes `<id> apply <escaped config>`,
 * unnumbered; version 1 containers, older still, get execs.
 */
export const ESCAPED_CHANNEL_VERSION = '2';
/** The supervisor's variable that holds a request's config, escaped for `printf '%b'`. */
export const ESCAPED_CONFIG_VAR = 'escaped_config';
/** The supervisor's (or the exec script's) variable that holds an apply's number. */
export const SEQ_VAR = 'seq';
/** Exit code of an apply older than one the LB has already seen: nothing changed. */
export const STALE_EXIT_CODE = 6;
/** Prefix of the supervisor's answers on stdout, which they share with nginx's access log. */
export const REPLY_PREFIX = 'dt-reply';
/** What an answer may hold to go unencoded (a shell bracket expression: no newline, no quote). */
export const PLAIN_REPLY_CHARACTERS = 'A-Za-z0-9\\ .:,_-';

/**
 * PID 1 of the LB container. It runs nginx and reads requests from its stdin,
 * which the engine keeps attached: `<id> apply <number> <escaped config>` runs
 * the apply script on that config (`swap`: the same without `nginx -t`, version 6),
 * `<id> check 0 <escaped config>` only runs
 * `nginx -t` on it, `<id> ping 0 -` answers with the newest apply number it
 * has seen, `<id> probe 0 <address:port,…>` tries to connect to each (in the
 * background: a probe waits up to a second, applies must not; a probe of one target, the
 * early probe of a new backend, runs nc with two forks fewer than the loop over several). Each answer is one line,
 * `dt-reply <id> <exit code> <base64 output>` (version 5: or `=<output>` when it is one line of
 * plain characters). A request costs one write on an
 * open connection, where a docker exec costs 90 ms idle and over 250 ms on a
 * busy 2-core machine, and that is most of the time a new container waits for
 * its first request. The script is sourced in a subshell (a fork, no exec) for
 * the same reason.
 */
export function supervisorScript(): string {
  return [
    '#!/bin/sh',
    '# Written by Discovery Tray: runs nginx, and applies the configs the engine sends on stdin.',
    `${NGINX_COMMAND.slice(0, -1).join(' ')} 'daemon off;' &`,
    'nginx_pid=$!',
    // A background list reads /dev/null unless given another descriptor for stdin.
    'exec 3<&0',
    // How this image's nc returns as soon as it connected (lb-probe.ts).
    NC_AFTER_CONNECT,
    // One line per answer. An answer of one line of plain characters (a probe of one backend,
    // a ping) goes as it is, after a `=`; base64 and tr are two processes, ~7 ms on an idle
    // 2-core machine, and a new backend waits for its probe's answer.
    'reply() {',
    '  case "$3" in',
    `    ''|*[!${PLAIN_REPLY_CHARACTERS}]*) printf '${REPLY_PREFIX} %s %s %s\\n' "$1" "$2" "$(printf '%s' "$3" | base64 | tr -d '\\n')" ;;`,
    `    *) printf '${REPLY_PREFIX} %s %s =%s\\n' "$1" "$2" "$3" ;;`,
    '  esac',
    '}',
    '(',
    `  while read -r id op ${SEQ_VAR} ${ESCAPED_CONFIG_VAR} <&3; do`,
    '    case "$op" in',
    `      apply) ${SKIP_CHECK_VAR}=''; out=$(. ${APPLY_SCRIPT} 2>&1); code=$? ;;
      swap) ${SKIP_CHECK_VAR}=1; out=$(. ${APPLY_SCRIPT} 2>&1); code=$? ;;`,
    `      check) out=$(. ${CHECK_SCRIPT} 2>&1); code=$? ;;`,
    `      probe) case "$${ESCAPED_CONFIG_VAR}" in
        *,*) (
          IFS=,
          out=$(${probeLoop(`$${ESCAPED_CONFIG_VAR}`)})
          reply "$id" 0 "$out"
        ) & ;;
        *) (
          IFS=' '; t=$${ESCAPED_CONFIG_VAR}
          ${probeOne('t')} && reply "$id" 0 "ok $t" || reply "$id" 0 "no $t $e"
        ) & ;;
      esac; continue ;;
      ping) newest=0; [ -f ${SEQ_FILE} ] && read -r newest < ${SEQ_FILE}; out="pong $newest"; code=0 ;;`,
    '      *) out="unknown request $op"; code=2 ;;',
    '    esac',
    '    reply "$id" "$code" "$out"',
    '  done',
    ') &',
    // docker stop sends SIGQUIT (the container's stop signal): nginx then finishes its requests.
    `trap 'kill -QUIT "$nginx_pid" 2>/dev/null' TERM INT QUIT`,
    'while kill -0 "$nginx_pid" 2>/dev/null; do wait "$nginx_pid"; done',
    '',
  ].join('\n');
}

/**
 * Escapes a config for `printf '%b'`, a builtin of dash and busybox ash: the
 * supervisor writes the candidate with it instead of running `base64 -d` and
 * `mv`, two processes that cost ~5 ms each idle and several times that on a
 * busy machine, while a new backend waits. Every byte outside printable ASCII,
 * the space (which `read` would split or trim on) and the backslash become
 * `\0ooo` (always three digits, so a digit after one stays a digit); nothing
 * else is special to `read -r` or to `%b`.
 */
export function printfEscape(text: string): string {
  let escaped = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    escaped +=
      byte > 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\0${byte.toString(8).padStart(3, '0')}`;
  }
  return escaped;
}

/** Where the apply script finds the candidate config. */
export type CandidateSource =
  /** In the supervisor's variable, escaped for `printf '%b'` (channel version 2). */
  | 'escaped'
  /** In the exec's environment variable CANDIDATE_ENV (a putArchive costs as much as the exec itself). */
  | 'env'
  /** Already in CANDIDATE_UPSTREAM (a version 1 supervisor, or a putArchive for a large config). */
  | 'file';

/**
 * One request does it all: check the candidate with `nginx -t`, make it live,
 * send the master a HUP (graceful reload), and wait until only new workers
 * accept connections (until then an old worker can still take a new connection
 * and route it by the old config); once a new worker runs, the old ones get the
 * QUIT that the master would send them 100 ms later. Prints the old workers' pids, which are the
 * ones still finishing requests routed by the previous config.
 * Only shell builtins run after the check (the master's children and their
 * titles come from /proc): on a busy machine every fork costs ~10 ms, and the
 * new backend waits for all of them. A worker that begins its graceful exit
 * retitles itself "worker process is shutting down" and, in the same step,
 * closes its listening sockets.
 * It also prints how long the new workers had been up when it saw the last old
 * one stop accepting (from /proc/uptime, 10 ms steps): new workers serve at
 * once, so that is when the new config began serving, and a new backend's first
 * request often comes before this script returns.
 * Applies are numbered (`$seq`; `seq` given here for an exec): one older than
 * the newest the LB has seen is refused, before the check and again just
 * before the swap. An apply that timed out on the channel can reach the
 * supervisor late, after a newer one went live by exec, and must not undo it.
 * Exit 3: the candidate failed `nginx -t` (nothing changed); 4: the reload did
 * not happen in time; 6: a newer apply was seen (nothing changed).
 */
export function applyScript(reloadTimeoutMs: number, source: CandidateSource = 'file', seq?: number): string {
  const tries = Math.max(1, Math.ceil(reloadTimeoutMs / (RELOAD_POLL_S * 1000)));
  const children = '/proc/$master/task/$master/children';
  // Builtins only, the check aside: write the candidate, and after the check write the same text
  // as the live config (nginx reads it only on the HUP that follows).
  const variable = source === 'escaped' ? ESCAPED_CONFIG_VAR : source === 'env' ? CANDIDATE_ENV : undefined;
  const write = (path: string): string =>
    `printf '${source === 'escaped' ? '%b' : '%s'}' "$${variable}" > ${path} || exit 4`;
  const newerSeen = [
    `newest=0; [ -f ${SEQ_FILE} ] && read -r newest < ${SEQ_FILE}`,
    `[ "$${SEQ_VAR}" -ge "$newest" ] 2>/dev/null || { echo "stale apply $${SEQ_VAR}: $newest is newer"; exit ${STALE_EXIT_CODE}; }`,
  ];
  return [
    ...(seq !== undefined ? [`${SEQ_VAR}=${Math.trunc(seq)}`] : []),
    // An unnumbered apply (a version 2 supervisor) counts as number 0.
    `${SEQ_VAR}=\${${SEQ_VAR}:-0}`,
    ...newerSeen,
    `[ "$${SEQ_VAR}" -gt "$newest" ] && printf '%s\n' "$${SEQ_VAR}" > ${SEQ_FILE}`,
    ...(variable
      ? [
          // An empty config would pass `nginx -t` and serve nothing; the engine never sends one.
          `[ -n "$${variable}" ] || { echo "no config in the request"; exit 4; }`,
          write(CANDIDATE_UPSTREAM),
        ]
      : []),
    // A `swap` (version 6) skips the check: the engine sends one only for a config whose shape
    // nginx has passed (config-shape.ts). Unset in an exec, so an exec always checks.
    `[ -n "$${SKIP_CHECK_VAR}" ] || nginx -t -q -c ${CANDIDATE_CONF} 2>&1 || exit 3`,
    // When the check passed (a builtin read), for the benchmark's breakdown of an apply.
    "checked=''; read -r checked _ < /proc/uptime",
    ...newerSeen,
    `read -r master < ${PID_FILE} || { echo "nginx is not running"; exit 4; }`,
    `old=''; read -r old < ${children}`,
    'old=" $old "',
    variable ? write(LIVE_UPSTREAM) : `mv ${CANDIDATE_UPSTREAM} ${LIVE_UPSTREAM} || exit 4`,
    'kill -HUP "$master" || exit 4',
    "i=0; fresh_since=''",
    `while [ $i -lt ${tries} ]; do`,
    `  sleep ${RELOAD_POLL_S}; i=$((i+1))`,
    `  kids=''; read -r kids < ${children}`,
    "  fresh=0; stale=''",
    '  for p in $kids; do',
    "    title=''; read -r title < /proc/$p/cmdline 2>/dev/null",
    '    case "$title" in *"worker process") ;; *) continue ;; esac',
    '    case "$old" in *" $p "*) stale="$stale $p" ;; *) fresh=1 ;; esac',
    '  done',
    '  [ $fresh = 1 ] && [ -z "$fresh_since" ] && read -r fresh_since _ < /proc/uptime',
    '  if [ $fresh = 1 ] && [ -z "$stale" ]; then',
    '    read -r now _ < /proc/uptime',
    '    echo "old:$old"; echo "serving:$fresh_since $now"; echo "checked:$checked"; exit 0',
    '  fi',
    // The master tells the old workers to stop (SIGQUIT: close the listening sockets, finish what
    // they serve, exit) only 100 ms after it started the new ones, and until then an idle old
    // worker takes most new connections and routes them by the old config, without the new
    // backend. A new worker serves now: the old ones get that same signal now. (The master
    // handles its signals only between its steps, so a worker that exits in those 100 ms waits
    // for it as an unreaped child, gets its QUIT and is not started again.)
    '  [ $fresh = 1 ] && kill -QUIT $stale 2>/dev/null',
    'done',
    'echo "nginx did not replace its workers in time"; exit 4',
  ].join('\n');
}

/**
 * Only checks a config with `nginx -t`, in a folder of its own: nothing live
 * changes and nginx gets no signal. Exit 3 when the check fails.
 */
export function checkScript(source: Exclude<CandidateSource, 'file'>): string {
  const variable = source === 'escaped' ? ESCAPED_CONFIG_VAR : CANDIDATE_ENV;
  return [
    `[ -n "$${variable}" ] || { echo "no config in the request"; exit 4; }`,
    `printf '${source === 'escaped' ? '%b' : '%s'}' "$${variable}" > ${CHECK_UPSTREAM} || exit 4`,
    `nginx -t -q -c ${CHECK_CONF} 2>&1 || exit 3`,
  ].join('\n');
}

/**
 * The same check by docker exec, for LB containers made by earlier releases
 * (no check folder yet): it writes its own main config first.
 */
export function checkByExecScript(): string {
  return [
    `[ -d ${LB_DIR}/check ] || mkdir -p ${LB_DIR}/check || exit 4`,
    // In single quotes, a quote is written as its %b escape.
    `printf '%b' '${printfEscape(mainConfig('check')).replaceAll("'", '\\0047')}' > ${CHECK_CONF} || exit 4`,
    checkScript('env'),
  ].join('\n');
}

/** The newest apply number in a stale answer ("stale apply 4: 7 is newer"), or 0. */
export function newestSeqIn(output: string): number {
  const match = /(\d+) is newer/.exec(output) ?? /^pong (\d+)/.exec(output);
  return match ? Number(match[1]) : 0;
}

/** Waits until the given worker pids have exited (their in-flight requests are done). Exit 5 on timeout. */
export function drainScript(pids: readonly number[], timeoutMs: number): string {
  const tries = Math.max(1, Math.ceil(timeoutMs / 20));
  return [
    'i=0',
    `for p in ${pids.join(' ')}; do`,
    `  while [ -d /proc/$p ]; do [ $i -ge ${tries} ] && exit 5; sleep 0.02; i=$((i+1)); done`,
    'done',
  ].join('\n');
}

export interface NginxTestFailure {
  message: string;
  /** Line number in the rendered file nginx complained about, when it said. */
  line?: number;
  /** The offending lines with their numbers, for the UI. */
  excerpt: string[];
}

/** Extracts nginx's complaint and the lines around it from `nginx -t` output. */
export function parseNginxTestOutput(output: string, rendered: string): NginxTestFailure {
  const emerg = output.split('\n').find((l) => /\[(emerg|alert|crit|error)\]/.test(l)) ?? output.trim();
  const message = emerg
    .replace(/^nginx: /, '')
    .replaceAll(CANDIDATE_UPSTREAM, 'rendered template')
    .replaceAll(CHECK_UPSTREAM, 'rendered template');
  const lineMatch = /\/(?:candidate|check)\/upstream\.conf:(\d+)/.exec(emerg);
  const line = lineMatch ? Number(lineMatch[1]) : undefined;
  const lines = rendered.split('\n');
  const excerpt: string[] = [];
  if (line !== undefined) {
    for (let n = Math.max(1, line - 2); n <= Math.min(lines.length, line + 2); n++) {
      excerpt.push(`${n === line ? '>' : ' '} ${String(n).padStart(4)} | ${lines[n - 1] ?? ''}`);
    }
  }
  return line !== undefined ? { message, line, excerpt } : { message, excerpt };
}

/**
 * How long before the apply script finished the new config began serving, from
 * its `serving:<since> <now>` line (uptime seconds), or 0 when it did not say.
 */
export function servingForMs(applyOutput: string): number {
  const match = /serving:([\d.]+) ([\d.]+)/.exec(applyOutput);
  if (!match) return 0;
  const ms = (Number(match[2]) - Number(match[1])) * 1000;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), DEFAULT_RELOAD_TIMEOUT_MS) : 0;
}

/**
 * How long before the apply script finished `nginx -t` had passed, from its
 * `checked:<uptime>` line and the `serving:` line's end; undefined when it did not say.
 */
export function checkedForMs(applyOutput: string): number | undefined {
  const checked = /checked:([\d.]+)/.exec(applyOutput);
  const serving = /serving:[\d.]+ ([\d.]+)/.exec(applyOutput);
  if (!checked || !serving) return undefined;
  const ms = (Number(serving[1]) - Number(checked[1])) * 1000;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
