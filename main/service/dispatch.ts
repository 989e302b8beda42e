/**
 * The one way a request reaches a handler, whatever carried it: the contract's validator first
 * (nothing is called with a request that can never be right), then the handler, then an ApiResult
 * whose error code means the same on every transport.
 */
import {
  OPERATIONS,
  isOperationName,
  type ApiError,
  type ApiResult,
  type Handlers,
  type OperationName,
  type ParsedRequestOf,
  type RequestOf,
  type ResultOf,
} from '../../contract/index.js';
import { UserError, errorMessage } from '../engine/errors.js';
import { PortInUseError } from '../engine/stack/port-check.js';

/** Checks a request against the operation's validator; a UserError (bad-request) says what is wrong. */
export function parseRequest<K extends OperationName>(name: K, raw: unknown): ParsedRequestOf<K> {
  const parsed = OPERATIONS[name].request.safeParse(raw);
  if (parsed.success) return parsed.data as ParsedRequestOf<K>;
  const problems = parsed.error.issues.map((issue) => issue.message).join(' ');
  throw new UserError(`${name}: ${problems} Nothing was changed.`, 'bad-request');
}

/** Validates and calls; throws what the handler throws. For callers inside the process (tray, CLI). */
export async function invoke<K extends OperationName>(
  handlers: Partial<Handlers>,
  name: K,
  ...request: RequestOf<K> extends undefined ? [] : [RequestOf<K>]
): Promise<ResultOf<K>> {
  const handler = handlers[name] as ((request: ParsedRequestOf<K>) => unknown) | undefined;
  if (!handler) throw new UserError(`${name} is not available here.`, 'not-available');
  return (await handler.call(handlers, parseRequest(name, request[0]))) as ResultOf<K>;
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof PortInUseError)
    return { message: error.message, code: error.code, offer: error.offer };
  if (error instanceof UserError) return { message: error.message, code: error.code };
  return { message: `The engine failed: ${errorMessage(error)}`, code: 'internal' };
}

/** A transport's entry: any name, any payload, never a throw. */
export async function dispatch(
  handlers: Partial<Handlers>,
  name: string,
  raw: unknown,
): Promise<ApiResult<unknown>> {
  try {
    if (!isOperationName(name))
      throw new UserError(`There is no operation ${JSON.stringify(name)}.`, 'not-found');
    const handler = handlers[name] as ((request: unknown) => unknown) | undefined;
    if (!handler) throw new UserError(`${name} is not available here.`, 'not-available');
    return { result: await handler.call(handlers, parseRequest(name, raw)) };
  } catch (error) {
    return { error: toApiError(error) };
  }
}
