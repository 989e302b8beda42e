import type { DiscoveryTrayApi } from '../../contract/index';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser. */
    discoveryTray?: DiscoveryTrayApi;
  }
}

export {};
