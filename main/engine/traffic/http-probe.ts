/**
 * One request through the LB, without keep-alive (a reused connection that
 * nginx closes during a reload would look like a dropped request when it is
 * the client's race, not the backend's). Reads which backend answered from
 * simple-web's X-Served-By header or its page line, reading at most the first
 * MAX_BODY_BYTES of the body.
 */
import { request } from 'node:http';

/**
 * slow: a GET the backend holds (in flight when a backend goes). slow-post: the same as a POST,
 * which nginx never retries on another backend once sent: a backend stopped under it is a failure.
 */
export type RequestKind = 'get' | 'post' | 'slow' | 'slow-post';

export interface ProbeResult {
  ok: boolean;
  status: number;
  /** The backend's own address, when the answer says it. */
  backend?: string;
  latencyMs: number;
  error?: string;
}

const PAGE_BACKEND = /to WebServer (?:&lt;|<)([0-9a-fA-F.:]+)(?:&gt;|>)/;

/** How much of a body is read: simple-web's whole page is one line of about 100 bytes. */
export const MAX_BODY_BYTES = 8 * 1024;

export function backendFromResponse(
  headers: Record<string, string | string[] | undefined>,
  body: string,
): string | undefined {
  const header = headers['x-served-by'];
  if (typeof header === 'string' && header) return header;
  return PAGE_BACKEND.exec(body)?.[1];
}

export function probe(
  url: string,
  kind: RequestKind,
  options: { slowDelayMs?: number; timeoutMs?: number } = {},
): Promise<ProbeResult> {
  const started = performance.now();
  const target = new URL(url);
  if (kind === 'slow' || kind === 'slow-post')
    target.searchParams.set('delay', String(options.slowDelayMs ?? 300));
  const body = kind === 'post' || kind === 'slow-post' ? 'discovery-tray=probe' : undefined;
  return new Promise((resolve) => {
    const req = request(
      target,
      {
        method: body ? 'POST' : 'GET',
        agent: false,
        headers: {
          connection: 'close',
          ...(body
            ? {
                'content-type': 'application/x-www-form-urlencoded',
                'content-length': Buffer.byteLength(body),
              }
            : {}),
        },
        timeout: options.timeoutMs ?? 15_000,
      },
      (res) => {
        // Only the start of the body is read: the page line is near its top, and a backend that
        // answers with megabytes (or never ends) must not be buffered, 256 requests at a time.
        const head = Buffer.alloc(MAX_BODY_BYTES);
        let size = 0;
        let settled = false;
        const settle = (): void => {
          if (settled) return;
          settled = true;
          const status = res.statusCode ?? 0;
          const backend = backendFromResponse(res.headers, head.toString('utf8', 0, size));
          resolve({
            ok: status >= 200 && status < 400,
            status,
            ...(backend ? { backend } : {}),
            latencyMs: performance.now() - started,
            ...(status >= 400 ? { error: `HTTP ${status}` } : {}),
          });
        };
        res.on('data', (chunk: Buffer) => {
          size += chunk.copy(head, size);
          if (size < MAX_BODY_BYTES) return;
          // Enough read: hang up, dropping the rest unread.
          settle();
          req.destroy();
        });
        res.on('end', settle);
        res.on('error', (error) => {
          if (settled) return;
          settled = true;
          resolve({ ok: false, status: 0, latencyMs: performance.now() - started, error: error.message });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) =>
      resolve({ ok: false, status: 0, latencyMs: performance.now() - started, error: error.message }),
    );
    req.end(body);
  });
}
