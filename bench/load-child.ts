/**
 * A closed loop of GETs through the LB in its own process, so that the
 * process hosting the engine is measured without the load's own CPU.
 * Arguments: url clients maxRequests seconds. Prints one JSON line: the report.
 */
import { runLoad } from '../main/engine/traffic/load-loop.js';

const [url, clients, total, seconds] = process.argv.slice(2);
if (!url?.startsWith('http://127.0.0.1:'))
  throw new Error('load-child: the url must be http://127.0.0.1:PORT');
const started = performance.now();
const report = await runLoad({
  url,
  concurrency: Number(clients),
  total: Number(total),
  deadlineMs: Number(seconds) * 1000,
  mix: ['get'],
});
const ms = Math.round(performance.now() - started);
const served = report.sent - report.failed;
console.log(
  JSON.stringify({ sent: report.sent, failed: report.failed, served, ms, byBackend: report.byBackend }),
);
