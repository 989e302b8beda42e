/**
 * Serves the built dashboard (renderer/dist) on app://dashboard/ with a strict
 * CSP header, refusing anything outside that folder. A missing build gets a
 * page that says how to make it instead of a blank window.
 */
import { protocol, type Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { DASHBOARD_CSP, contentTypeOf } from '../server/dashboard-assets.js';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

export { DASHBOARD_CSP };

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
    const type = contentTypeOf(extname(file));
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
