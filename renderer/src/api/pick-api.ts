import type { DiscoveryTrayApi } from '../../../contract/index';
import { createHttpApi } from './http-api';
import { takeToken } from './token';

/** The Electron preload bridge when present, else the engine's HTTP API at this page's origin. */
export function pickApi(win: Window = window): DiscoveryTrayApi {
  if (win.discoveryTray) return win.discoveryTray;
  const token = takeToken({ location: win.location, history: win.history, storage: win.sessionStorage });
  return createHttpApi({ baseUrl: win.location.origin, token });
}
