import type { DiscoveryTrayApi } from '../../preload/api';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser. */
    discoveryTray?: DiscoveryTrayApi;
  }
}

export {};
