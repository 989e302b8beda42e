/**
 * The dashboard's own origin: it is served from a custom protocol, never from
 * file:// or the network, so a URL from anywhere else is never trusted.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'dashboard';
export const DASHBOARD_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for URLs of our own dashboard (app://dashboard/…). WHATWG gives custom schemes no origin, so compare parts. */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}
