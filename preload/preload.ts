/**
 * The sandboxed preload: exposes one object implementing the contract's DiscoveryTrayApi as
 * `window.discoveryTray`, built from the operation and topic tables (nothing listed by hand).
 * Bundled into one CommonJS file (sandboxed preloads cannot load modules); no raw ipcRenderer
 * ever reaches the page, and listeners get the payload only, never Electron's event object.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_KEY,
  ipcChannel,
  isTopicName,
  operationsFor,
  pushChannel,
  type DiscoveryTrayApi,
  type TopicName,
} from '../contract/index.js';

function call(name: Parameters<typeof ipcChannel>[0]) {
  return (request?: unknown): Promise<unknown> =>
    request === undefined
      ? ipcRenderer.invoke(ipcChannel(name))
      : ipcRenderer.invoke(ipcChannel(name), request);
}

function subscribe(topic: TopicName, listener: (payload: unknown) => void): () => void {
  // A page that names a topic we do not push gets nothing, not a channel of its choosing.
  if (!isTopicName(topic)) throw new TypeError(`There is no topic ${JSON.stringify(topic)}.`);
  const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(pushChannel(topic), forward);
  return () => {
    ipcRenderer.removeListener(pushChannel(topic), forward);
  };
}

export const bridge = Object.freeze({
  ...Object.fromEntries(operationsFor('ui', 'desktop').map((name) => [name, call(name)])),
  subscribe,
}) as unknown as DiscoveryTrayApi;

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
