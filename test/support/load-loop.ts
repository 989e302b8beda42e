/**
 * A bounded load loop through the LB, for the failover tests: one request every 20 ms until
 * stopped, counting what failed (anything but a 200) and keeping the first failure for the log.
 */
import { probe } from '../../main/engine/traffic/http-probe.js';
/** Requests through the LB until stopped: at most 2000 and 40 s, whichever comes first. */
export function loadThrough(url: string): {
  stop: () => Promise<{ sent: number; failed: number; firstFailure: string }>;
} {
  let stopped = false;
  let sent = 0;
  let failed = 0;
  let firstFailure = '';
  const deadline = Date.now() + 40_000;
  const run = (async () => {
    while (!stopped && sent < 2000 && Date.now() < deadline) {
      sent++;
      // A fresh connection each (the project's probe): a kept-alive one that nginx closes on a
      // reload fails by the client's race, not the LB's.
      const result = await probe(url, 'get', { timeoutMs: 2000 });
      if (!result.ok) {
        failed++;
        firstFailure ||= `${result.error ?? `HTTP ${result.status}`} at request ${sent}`;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await run;
      return { sent, failed, firstFailure };
    },
  };
}
