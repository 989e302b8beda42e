/**
 * Serves the built dashboard (renderer/dist) to a browser: index.html at `/`, Vite's hashed
 * files under /assets/, nothing else. The page itself needs no bearer header (a browser cannot
 * send one on navigation; the token travels in the URL and the page moves it into its API
 * calls). Headers: the dashboard's CSP, nosniff, no referrer, no framing, and never CORS.
 */
import { readFile, realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { CONTENT_TYPES, DASHBOARD_CSP, contentTypeOf } from './dashboard-assets.js';

export { DASHBOARD_CSP };

/** An asset name as Vite writes it: one path segment of safe characters with a known extension. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface StaticFilesOptions {
  /** The folder of the built dashboard, e.g. <package root>/renderer/dist. */
  root: string;
}

/**
 * Returns a handler that answers GET/HEAD for `/`, `/index.html` and `/assets/<file>`, and
 * returns false (without touching the response) for every other path, so that the caller can
 * route /api/* itself. Unknown files under those paths get a 404 here.
 */
export function createStaticFiles(
  options: StaticFilesOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const root = resolve(options.root);
  const assetsRoot = join(root, 'assets');

  return async (req, res) => {
    const pathname = pathOf(req.url);
    if (pathname === undefined) return false;
    let file: string | undefined;
    if (pathname === '/' || pathname === '/index.html') file = join(root, 'index.html');
    else if (pathname.startsWith('/assets/')) {
      const name = pathname.slice('/assets/'.length);
      // Decode once and refuse anything that is not a plain file name: no '/', '\', '..', '%2f'.
      let decoded: string;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        decoded = '';
      }
      file =
        ASSET_NAME.test(decoded) && !decoded.includes('..') && CONTENT_TYPES[extname(decoded).toLowerCase()]
          ? join(assetsRoot, decoded)
          : '';
    } else return false;

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', Buffer.from('Method not allowed.\n'), req.method, {
        allow: 'GET, HEAD',
      });
      return true;
    }
    const body = file ? await readInside(file, root) : undefined;
    if (!body) {
      const missingIndex = file === join(root, 'index.html');
      const text = missingIndex
        ? 'The dashboard is not built. Run `npm run build:renderer` and reload.\n'
        : 'Not found.\n';
      send(res, 404, 'text/plain; charset=utf-8', Buffer.from(text), req.method);
      return true;
    }
    const type = contentTypeOf(extname(file));
    const immutable = pathname.startsWith('/assets/');
    send(res, 200, type, body, req.method, {
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    return true;
  };
}

function pathOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url, 'http://127.0.0.1').pathname;
  } catch {
    return undefined;
  }
}

/** Reads a file only if its real path (symlinks resolved) stays inside the root. */
async function readInside(file: string, root: string): Promise<Buffer | undefined> {
  try {
    const [realFile, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    if (!realFile.startsWith(realRoot + sep)) return undefined;
    return await readFile(realFile);
  } catch {
    return undefined;
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: Buffer,
  method: string | undefined,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': body.length,
    'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...(status === 200 ? {} : { 'cache-control': 'no-store' }),
    ...extra,
  });
  res.end(method === 'HEAD' ? undefined : body);
}
