/**
 * What a dashboard holds: one call per UI operation of the table, and subscriptions to the push
 * topics. The preload bridge (window) and the HTTP client (browser) both implement it,
 * generically; the renderer depends on this type only, never on how it is carried.
 */
import type { Call, UiOperation } from './operations.js';
import type { PushSubscriber } from './topics.js';

export type DiscoveryTrayApi = { [K in UiOperation]: Call<K> } & PushSubscriber;
