/** `discovery-tray hits [--follow] [--json]` and `discovery-tray traffic start|stop|status`. */
import { parseArgs } from 'node:util';
import type { HitsSnapshot } from '../../contract/index.js';
import { errorMessage } from '../engine/errors.js';
import { ControlClient } from '../server/control-client.js';
import { parseRequest } from '../service/dispatch.js';
import { formatHits, formatTraffic } from './format-hits.js';
import { UsageError } from './up.js';
import { EXIT } from './usage.js';

export async function runHits(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' } },
  });
  const client = await ControlClient.connect();
  const print = (hits: HitsSnapshot): void => {
    if (values.json) console.log(JSON.stringify(hits, null, values.follow ? undefined : 2));
    else if (values.follow && process.stdout.isTTY)
      process.stdout.write(`\x1b[2J\x1b[H${formatHits(hits)}\n`);
    else console.log(`${formatHits(hits)}${values.follow ? '\n' : ''}`);
  };
  print(await client.call('getHits'));
  if (!values.follow) return EXIT.ok;
  // Live: one snapshot per push (about once a second, when something changed), until Ctrl-C.
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await client.events((event, data) => {
      if (event === 'hits') print(data as HitsSnapshot);
    }, abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return EXIT.ok;
}

export async function runTraffic(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'start') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: { rate: { type: 'string' }, duration: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (values.rate === undefined)
      throw new UsageError('--rate N is required (1 to 200 requests per second)');
    let request;
    try {
      // Checked here too, with the contract's validator, so that a bad value is a usage error even
      // before an engine is found.
      request = parseRequest('startTraffic', {
        ratePerSecond: numberOrText(values.rate),
        durationSeconds: numberOrText(values.duration ?? '60'),
      });
    } catch (error) {
      throw new UsageError(`--rate is 1 to 200, --duration 1 to 3600: ${errorMessage(error)}`);
    }
    const client = await ControlClient.connect();
    const status = await client.call('startTraffic', request);
    console.log(values.json ? JSON.stringify(status, null, 2) : formatTraffic(status));
    return EXIT.ok;
  }
  if (action === 'stop' || action === 'status') {
    const { values } = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: false,
      options: { json: { type: 'boolean' } },
    });
    const client = await ControlClient.connect();
    const status = action === 'stop' ? await client.call('stopTraffic') : await client.call('getTraffic');
    console.log(values.json ? JSON.stringify(status, null, 2) : formatTraffic(status));
    return EXIT.ok;
  }
  throw new UsageError(
    action ? `unknown traffic action "${action}"; use start, stop or status` : 'say start, stop or status',
  );
}

/** A command-line value as the number it spells, or as given (and then refused with its text). */
function numberOrText(value: string): number | string {
  return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
}
