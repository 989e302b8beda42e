/**
 * The window's side of the contract over IPC: one handler per operation the dashboard may call
 * (derived from the table, never listed by hand). Each checks that the call comes from our
 * dashboard frame (security checklist item 17), then goes through the same dispatch as the HTTP
 * API: the contract's validator, the service, an ApiResult. Nothing ever throws across IPC.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import {
  ipcChannel,
  operationsFor,
  type ApiResult,
  type Handlers,
  type OperationName,
} from '../../contract/index.js';
import { dispatch } from '../service/dispatch.js';
import { isAppUrl } from './app-origin.js';

/** What the window may call: the dashboard's operations, and openExternal (a browser opens tabs itself). */
export const IPC_OPERATIONS: readonly OperationName[] = operationsFor('ui', 'desktop');

/** Only our dashboard's frames may call. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return isAppUrl(event.senderFrame?.url);
}

export async function handleIpcCall(
  handlers: Partial<Handlers>,
  name: OperationName,
  event: IpcMainInvokeEvent,
  args: unknown[],
): Promise<ApiResult<unknown>> {
  if (!isTrustedSender(event)) {
    const url = event.senderFrame?.url;
    return {
      error: {
        code: 'forbidden',
        message: `Refused an IPC call from ${url ? `"${url}"` : 'an unknown frame'}: only the dashboard may call.`,
      },
    };
  }
  // Every operation takes one request object at most; the preload never sends more.
  if (args.length > 1)
    return {
      error: { code: 'bad-request', message: `${name} takes one argument at most; got ${args.length}.` },
    };
  return dispatch(handlers, name, args[0]);
}

/** Registers every handler on ipcMain; returns a function that removes them. */
export function registerIpcHandlers(handlers: Partial<Handlers>): () => void {
  for (const name of IPC_OPERATIONS)
    ipcMain.handle(ipcChannel(name), (event, ...args: unknown[]) =>
      handleIpcCall(handlers, name, event, args),
    );
  return () => {
    for (const name of IPC_OPERATIONS) ipcMain.removeHandler(ipcChannel(name));
  };
}
