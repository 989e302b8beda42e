/**
 * An abort signal that fires after `ms` and, unlike AbortSignal.timeout(),
 * keeps the process alive until then. A fetch whose connection stalls (as one
 * to a port Docker has only just published can) must end in a timeout error,
 * not in a process that exits in the middle of an await (exit code 13).
 */
export function timeoutSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')),
    ms,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
