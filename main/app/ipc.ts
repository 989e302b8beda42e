/**
 * The main side of the DiscoveryTrayApi: one wrapper checks that the call comes
 * from our dashboard frame, each handler validates its arguments, and every
 * answer is {result} or {error} with a message a person can act on.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ApiResult } from '../../preload/api.js';
import { UserError, errorMessage } from '../engine/errors.js';
import { isAppUrl } from './app-origin.js';
import type { AppEngine } from './engine-port.js';
import type { ExternalTarget } from './external-links.js';
import { INVOKE, type InvokeName } from './ipc-channels.js';
import {
  expectArgs,
  parseAfterSeq,
  parseExternalTarget,
  parseScaleRequest,
  parseTemplateSource,
  parseTrafficRequest,
} from './ipc-validation.js';

export class ForbiddenSenderError extends UserError {
  constructor(url: string | undefined) {
    super(
      `Refused an IPC call from ${url ? `"${url}"` : 'an unknown frame'}: only the dashboard may call.`,
      'forbidden',
    );
  }
}

/** Only our dashboard's frames may call (security checklist item 17). */
export function assertTrustedSender(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url;
  if (!isAppUrl(url)) throw new ForbiddenSenderError(url);
}

export function toApiError(error: unknown): { message: string; code: string } {
  if (error instanceof UserError) return { message: error.message, code: error.code };
  return { message: `The engine failed: ${errorMessage(error)}`, code: 'internal' };
}

export type IpcHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<ApiResult<unknown>>;

/** Wraps a handler: sender check, then the call; never throws across IPC. */
export function wrapHandler(handler: (...args: unknown[]) => unknown): IpcHandler {
  return async (event, ...args) => {
    try {
      assertTrustedSender(event);
      return { result: await handler(...args) };
    } catch (error) {
      return { error: toApiError(error) };
    }
  };
}

/** Each DiscoveryTrayApi call, validated and forwarded (the on* subscriptions are pushes, see event-batcher). */
export function apiHandlers(
  engine: AppEngine,
  openExternal: (target: ExternalTarget) => Promise<void>,
): Record<InvokeName, (...args: unknown[]) => unknown> {
  const none =
    (call: string, run: () => unknown) =>
    (...args: unknown[]): unknown => {
      expectArgs(args, 0, call);
      return run();
    };
  const one =
    (call: string, run: (arg: unknown) => unknown) =>
    (...args: unknown[]): unknown => {
      expectArgs(args, 1, call);
      return run(args[0]);
    };
  return {
    getStatus: none('getStatus', () => engine.view().status),
    scale: one('scale', (request) => engine.scale(parseScaleRequest(request))),
    getHits: none('getHits', () => engine.hits()),
    getTraffic: none('getTraffic', () => engine.traffic()),
    startTraffic: one('startTraffic', (request) => engine.startTraffic(parseTrafficRequest(request))),
    stopTraffic: none('stopTraffic', () => engine.stopTraffic()),
    getTimeline: one('getTimeline', (after) => engine.timeline(parseAfterSeq(after))),
    getTemplate: none('getTemplate', () => engine.template()),
    setTemplate: one('setTemplate', (source) => engine.setTemplate(parseTemplateSource(source))),
    startDemo: none('startDemo', () => engine.startDemo()),
    stopDemo: none('stopDemo', () => engine.stopDemo()),
    openExternal: one('openExternal', async (target) => {
      await openExternal(parseExternalTarget(target));
      return null;
    }),
  };
}

/** Registers every handler on ipcMain; returns a function that removes them. */
export function registerIpcHandlers(
  engine: AppEngine,
  openExternal: (target: ExternalTarget) => Promise<void>,
): () => void {
  const handlers = apiHandlers(engine, openExternal);
  const names = Object.keys(INVOKE) as InvokeName[];
  for (const name of names) ipcMain.handle(INVOKE[name], wrapHandler(handlers[name]));
  return () => {
    for (const name of names) ipcMain.removeHandler(INVOKE[name]);
  };
}
