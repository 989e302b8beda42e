/**
 * The files Discovery Tray keeps inside the LB container. The user's template
 * renders into an http-context file (like the classic demo's conf.d/default.conf);
 * our own main config includes it, so that one image-independent layout works
 * with nginx:alpine and with the locally built nginx alike.
 */
export const LB_DIR = '/etc/discovery-tray';
export const LIVE_CONF = `${LB_DIR}/nginx.conf`;
export const CANDIDATE_CONF = `${LB_DIR}/candidate.conf`;
export const LIVE_UPSTREAM = `${LB_DIR}/live/upstream.conf`;
export const CANDIDATE_UPSTREAM = `${LB_DIR}/candidate/upstream.conf`;
export const PID_FILE = '/tmp/discovery-tray-nginx.pid';
/** The exec variable that carries a candidate config (Linux caps one variable at 128 KiB). */
export const CANDIDATE_ENV = 'DISCOVERY_TRAY_CANDIDATE';
export const MAX_CANDIDATE_ENV_BYTES = 96 * 1024;

/** Access log line: time, the backend that served the request, status, method, duration. */
export const ACCESS_LOG_FORMAT = "'$msec $upstream_addr $status $request_method $request_time'";

export function mainConfig(includeDir: 'live' | 'candidate'): string {
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

// Accepting workers only: a worker that begins its graceful exit retitles itself
// "worker process is shutting down" and, in the same step, closes its listening sockets.
const WORKERS = `ps -o pid,args | awk '/nginx: worker process$/ {print $1}'`;

/**
 * One exec does it all, because each exec costs ~100 ms: check the candidate
 * with `nginx -t`, make it live, send the master a HUP (graceful reload), and
 * wait until only new workers accept connections (until then an old worker can
 * still take a new connection and route it by the old config). Prints the old workers' pids, which are the ones
 * still finishing requests routed by the previous config.
 * Exit 3: the candidate failed `nginx -t` (nothing changed); 4: no new workers in time.
 */
export function applyScript(reloadTimeoutMs: number, candidateFromEnv = false): string {
  const tries = Math.max(1, Math.ceil(reloadTimeoutMs / 10));
  return [
    // A putArchive costs as much as the exec itself; small candidates travel in the exec's env.
    ...(candidateFromEnv ? [`printf '%s' "$${CANDIDATE_ENV}" > ${CANDIDATE_UPSTREAM} || exit 4`] : []),
    `nginx -t -q -c ${CANDIDATE_CONF} 2>&1 || exit 3`,
    `old=" $(${WORKERS} | tr '\\n' ' ')"`,
    `cp ${CANDIDATE_UPSTREAM} ${LIVE_UPSTREAM}.tmp && mv ${LIVE_UPSTREAM}.tmp ${LIVE_UPSTREAM}`,
    `kill -HUP "$(cat ${PID_FILE})" || exit 4`,
    'i=0',
    `while [ $i -lt ${tries} ]; do`,
    '  now=0; stale=0',
    `  for p in $(${WORKERS}); do now=1; case "$old " in *" $p "*) stale=1 ;; esac; done`,
    `  if [ $now = 1 ] && [ $stale = 0 ]; then echo "old:$old"; exit 0; fi`,
    '  sleep 0.01; i=$((i+1))',
    'done',
    'echo "nginx did not start new workers in time"; exit 4',
  ].join('\n');
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
  const message = emerg.replace(/^nginx: /, '').replaceAll(`${CANDIDATE_UPSTREAM}`, 'rendered template');
  const lineMatch = new RegExp(`${CANDIDATE_UPSTREAM.replaceAll('.', '\\.')}:(\\d+)`).exec(emerg);
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
