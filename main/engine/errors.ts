/**
 * An error the user can fix: its message says what went wrong and what to do, and its code
 * (one of the contract's, see contract/errors.ts) decides the HTTP status and the CLI's exit code.
 * The CLI prints these without a stack trace; anything else is a bug.
 */
import type { ErrorCode } from '../../contract/index.js';

export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
