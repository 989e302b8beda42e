/**
 * An error the user can fix: its message says what went wrong and what to do.
 * The CLI prints these without a stack trace; anything else is a bug.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    /** A machine-readable code for scripts and the UI. */
    readonly code: string = 'user-error',
  ) {
    super(message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
