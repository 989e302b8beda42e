/**
 * The one contract between the engine and any UI: the Electron preload bridge,
 * the browser dashboard over HTTP/WebSocket, and the CLI all speak these types.
 * No Electron import here: main, preload, renderer and CLI all compile it.
 */

export interface InstanceView {
  /** Consul service ID. */
  id: string;
  service: string;
  containerId: string;
  containerName: string;
  address: string;
  port: number;
  tags: string[];
  /** Epoch ms when it was registered. */
  registeredAt: number;
  /** starting: registered, not yet in the live nginx config; serving: in it; draining: leaving. */
  state: 'starting' | 'serving' | 'draining';
}

export interface ServiceView {
  name: string;
  /** The count asked for, for scalable services. */
  desired?: number;
  running: number;
  instances: InstanceView[];
}

export interface ErrorView {
  at: number;
  message: string;
  line?: number;
  column?: number;
  /** The offending lines, numbered, where known. */
  excerpt?: string[];
}

export interface EngineStatus {
  state: 'starting' | 'ready' | 'stopping' | 'stopped';
  /** True when `up` found a stack from an earlier run and took it over. */
  adopted: boolean;
  docker: { connected: boolean; endpoint: string; version?: string; error?: string };
  consul: { connected: boolean; url: string; uiUrl: string; managed: boolean; error?: string };
  lb: {
    url: string;
    generation: number;
    config?: string;
    previousConfig?: string;
    appliedAt?: number;
    lastError?: ErrorView;
  };
  template: { name: string; dependencies: string[]; lastRenderAt?: number; lastError?: ErrorView };
  dashboard?: { url: string };
  services: ServiceView[];
  scaling: {
    service: 'web';
    desired?: number;
    starting: string[];
    draining: string[];
    busy: boolean;
    max: number;
  };
  warnings: { container: string; message: string }[];
}

export interface ScaleRequest {
  service: string;
  count: number;
}

export interface ScaleResponse {
  service: string;
  desired: number;
  running: number;
  superseded: boolean;
  warnings: string[];
}

/** Every call returns a result or a readable error, never a thrown Electron/HTTP error. */
export type ApiResult<T> = { result: T } | { error: { message: string; code: string } };
