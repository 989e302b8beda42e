/**
 * A GET on a connection of its own (closed after the answer), for tests that read the LB across
 * reloads: fetch keeps connections alive, and one that nginx closes on a reload fails by the
 * client's own race ("other side closed"), not because the LB dropped a request.
 */
import { get } from 'node:http';

/** The answer's body, trimmed; rejects on a status other than 2xx, an error, or `timeoutMs`. */
export function freshGetText(url: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      { agent: false, headers: { connection: 'close' }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) reject(new Error(`HTTP ${status} from ${url}`));
          else resolve(Buffer.concat(chunks).toString('utf8').trim());
        });
        res.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
