/**
 * A bounded load loop through the LB, for the failover tests: one request every 20 ms until
 * stopped, counting what failed (anything but a 200) and keeping the first failure for the log.
 */
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
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (response.status !== 200) {
          failed++;
          firstFailure ||= `HTTP ${response.status} at request ${sent}`;
        }
        await response.arrayBuffer();
      } catch (error) {
        failed++;
        firstFailure ||= `${String(error)} at request ${sent}`;
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
