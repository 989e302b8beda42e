/**
 * The sandboxed preload: exposes one object implementing DiscoveryTrayApi as
 * `window.discoveryTray`. Bundled into one CommonJS file (sandboxed preloads
 * cannot load modules); no raw ipcRenderer ever reaches the page, and listeners
 * get the payload only, never Electron's event object.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  BRIDGE_KEY,
  EVENTS,
  INVOKE,
  type EventChannel,
  type InvokeChannel,
} from '../main/app/ipc-channels.js';
import type {
  ApiResult,
  DiscoveryTrayApi,
  EngineStatus,
  HitsSnapshot,
  TimelineEvent,
  TrafficStatus,
} from './api.js';

function invoke<T>(channel: InvokeChannel, ...args: unknown[]): Promise<ApiResult<T>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<ApiResult<T>>;
}

function subscribe<T>(channel: EventChannel, listener: (payload: T) => void): () => void {
  const forward = (_event: IpcRendererEvent, payload: T): void => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

export const bridge: DiscoveryTrayApi = {
  getStatus: () => invoke(INVOKE.getStatus),
  scale: (request) => invoke(INVOKE.scale, request),
  getHits: () => invoke(INVOKE.getHits),
  getTraffic: () => invoke(INVOKE.getTraffic),
  startTraffic: (request) => invoke(INVOKE.startTraffic, request),
  stopTraffic: () => invoke(INVOKE.stopTraffic),
  getTimeline: (afterSeq) =>
    afterSeq === undefined ? invoke(INVOKE.getTimeline) : invoke(INVOKE.getTimeline, afterSeq),
  getTemplate: () => invoke(INVOKE.getTemplate),
  setTemplate: (source) => invoke(INVOKE.setTemplate, source),
  startDemo: () => invoke(INVOKE.startDemo),
  stopDemo: () => invoke(INVOKE.stopDemo),
  openExternal: (target) => invoke(INVOKE.openExternal, target),
  onStatus: (listener) => subscribe<EngineStatus>(EVENTS.status, listener),
  onHits: (listener) => subscribe<HitsSnapshot>(EVENTS.hits, listener),
  onTimeline: (listener) => subscribe<TimelineEvent[]>(EVENTS.timeline, listener),
  onTraffic: (listener) => subscribe<TrafficStatus>(EVENTS.traffic, listener),
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
