/**
 * IPC channel names shared by the main process and the preload bundle. No
 * Electron import: the preload bundle and the tests compile this file too.
 */

/** The global name the preload exposes the DiscoveryTrayApi under: `window.discoveryTray`. */
export const BRIDGE_KEY = 'discoveryTray';

const PREFIX = 'discovery-tray';

/** Request/response channels (ipcRenderer.invoke ↔ ipcMain.handle), one per DiscoveryTrayApi call. */
export const INVOKE = {
  getStatus: `${PREFIX}:get-status`,
  scale: `${PREFIX}:scale`,
  getHits: `${PREFIX}:get-hits`,
  getTraffic: `${PREFIX}:get-traffic`,
  startTraffic: `${PREFIX}:start-traffic`,
  stopTraffic: `${PREFIX}:stop-traffic`,
  getTimeline: `${PREFIX}:get-timeline`,
  getTemplate: `${PREFIX}:get-template`,
  setTemplate: `${PREFIX}:set-template`,
  startDemo: `${PREFIX}:start-demo`,
  stopDemo: `${PREFIX}:stop-demo`,
  openExternal: `${PREFIX}:open-external`,
} as const;

/** Main → renderer pushes, each sent at most about once a second. */
export const EVENTS = {
  status: `${PREFIX}:event:status`,
  hits: `${PREFIX}:event:hits`,
  timeline: `${PREFIX}:event:timeline`,
  traffic: `${PREFIX}:event:traffic`,
} as const;

export type InvokeName = keyof typeof INVOKE;
export type InvokeChannel = (typeof INVOKE)[InvokeName];
export type EventChannel = (typeof EVENTS)[keyof typeof EVENTS];
