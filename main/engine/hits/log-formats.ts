/**
 * The two log formats hits are read from: simple-web's classic page line
 * (one per request, on the web container's stdout) and the LB's access log
 * (`$msec $upstream_addr $status $request_method $request_time`, see
 * ACCESS_LOG_FORMAT in lb/nginx-files.ts).
 */

export interface PageLine {
  /** simple-web's own request counter: grows by one per request. */
  count: number;
  /** The server's own IP, as it prints it. */
  serverIp: string;
}

const PAGE_LINE =
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}: (\d+) requests from <LOCAL: [^>]*> to WebServer <([0-9a-fA-F.:]+)>\s*$/;

export function parsePageLine(text: string): PageLine | undefined {
  const match = PAGE_LINE.exec(text);
  if (!match) return undefined;
  return { count: Number(match[1]), serverIp: match[2]! };
}

export interface AccessLogEntry {
  /** When nginx finished the request (epoch ms, from $msec). */
  atMs: number;
  /** The backend that answered (ip:port): the last one when nginx tried several. */
  address: string;
  status: number;
  method: string;
}

const ACCESS_LINE = /^(\d{9,}\.\d{3}) (.+) (\d{3}) ([A-Z]+) (?:[\d.]+|-)\s*$/;
const ADDRESS = /^(?:\d{1,3}\.){3}\d{1,3}:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;

/**
 * One access log line, or undefined for anything else on the LB's stdout
 * (the supervisor's replies, nginx's notices) and for requests no backend
 * served: no upstream (`-`), or a gateway error nginx made itself.
 */
export function parseAccessLogLine(text: string): AccessLogEntry | undefined {
  const match = ACCESS_LINE.exec(text);
  if (!match) return undefined;
  const status = Number(match[3]);
  if (status === 502 || status === 504) return undefined;
  // A request retried across upstreams lists them all ("a, b"); an internal redirect adds " : ".
  const tried = match[2]!.split(/\s*[,:]\s+/);
  const address = tried[tried.length - 1]!.trim();
  if (!ADDRESS.test(address)) return undefined;
  return { atMs: Math.round(Number(match[1]) * 1000), address, status, method: match[4]! };
}
