/** How the dashboard reaches the engine right now; an extension some API clients offer. */
export type ConnectionState =
  /** Opening the event stream. */
  | 'connecting'
  /** The event stream is open: updates are pushed. */
  | 'live'
  /** The event stream is not available; the client asks for updates every few seconds. */
  | 'polling'
  /** The engine does not answer at all. */
  | 'unreachable'
  /** The engine answers but refuses the token. */
  | 'unauthorized';

export interface ConnectionAware {
  onConnection(listener: (state: ConnectionState, detail?: string) => void): () => void;
}

export function isConnectionAware(api: object): api is ConnectionAware {
  return typeof (api as Partial<ConnectionAware>).onConnection === 'function';
}
