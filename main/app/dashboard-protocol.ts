/**
 * Serves the built dashboard (renderer/dist) on app://dashboard/ with a strict
 * CSP header, refusing anything outside that folder. A missing build gets a
 * page that says how to make it instead of a blank window.
 */
import { protocol, type Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

/** Same as the dashboard's meta CSP: our own scripts and styles only, no eval, no remote anything. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
};

function headers(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}

export const MISSING_BUILD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Discovery Tray</title></head>
<body>
<h1>The dashboard is not built</h1>
<p>This copy of Discovery Tray has no dashboard build (renderer/dist/index.html is missing).
Build it with <code>npm run build</code>. The tray menu works without it, and so does
<code>npx discovery-tray status</code>.</p>
</body></html>
`;

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: headers('text/plain; charset=utf-8') });
}

/** The response for one app:// request, read from `rootDir` (renderer/dist). */
export async function dashboardResponse(rootDir: string, url: string): Promise<Response> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return text(400, 'Bad URL');
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return text(404, 'Not found');
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return text(400, 'Bad URL');
  }
  if (path === '/' || path === '') path = '/index.html';
  const root = resolve(rootDir);
  const file = resolve(root, `.${path}`);
  if (!file.startsWith(root + sep)) return text(403, 'Forbidden');
  try {
    const body = await readFile(file);
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(new Uint8Array(body), { status: 200, headers: headers(type) });
  } catch {
    if (path === '/index.html')
      return new Response(MISSING_BUILD_HTML, { status: 200, headers: headers('text/html; charset=utf-8') });
    return text(404, 'Not found');
  }
}

/** Must run before the app is ready: app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveDashboard(session: Session, rootDir: string): void {
  session.protocol.handle(APP_SCHEME, (request) => dashboardResponse(rootDir, request.url));
}
