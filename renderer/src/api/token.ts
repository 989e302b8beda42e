/**
 * The dashboard URL that `discovery-tray up` prints carries the API token as `?token=` or
 * `#token=`. Read it once, keep it in sessionStorage (this tab only), and take it out of the
 * visible URL so that it does not end up in screenshots, history or a shared link.
 */

export const TOKEN_STORAGE_KEY = 'discovery-tray.token';

export interface TokenEnvironment {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function takeToken(env: TokenEnvironment): string | undefined {
  const url = new URL(env.location.href);
  const hash = new URLSearchParams(url.hash.startsWith('#') ? url.hash.slice(1) : url.hash);
  const fromUrl = url.searchParams.get('token') ?? hash.get('token') ?? undefined;
  if (fromUrl) {
    try {
      env.storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage may be disabled; the token still works for this page's lifetime.
    }
    url.searchParams.delete('token');
    if (hash.has('token')) {
      hash.delete('token');
      const rest = hash.toString();
      url.hash = rest ? `#${rest}` : '';
    }
    env.history.replaceState(env.history.state, '', url.toString());
    return fromUrl;
  }
  try {
    return env.storage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
