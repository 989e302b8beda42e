import type { DiscoveryTrayApi } from '../../../preload/api';
import { HttpApi } from './http-api';
import { takeToken } from './token';

/** The Electron preload bridge when present, else the engine's HTTP API at this page's origin. */
export function pickApi(win: Window = window): DiscoveryTrayApi {
  if (win.discoveryTray) return win.discoveryTray;
  const token = takeToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  return new HttpApi({ baseUrl: win.location.origin, token });
}
