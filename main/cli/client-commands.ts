/** `scale`, `status` and `down`: clients of the running engine. */
import { parseArgs } from 'node:util';
import { connectDocker } from '../engine/docker/docker-connection.js';
import { defaultEngineConfig } from '../engine/engine-config.js';
import { errorMessage } from '../engine/errors.js';
import { Stack } from '../engine/stack/stack.js';
import { parseRequest } from '../service/dispatch.js';
import { ControlClient, NoEngineError } from '../server/control-client.js';
import { formatStatus } from './format-status.js';
import { printable } from './terminal-text.js';
import { UsageError } from './up.js';
import { EXIT } from './usage.js';

export async function runScale(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { host: { type: 'string' } },
  });
  const spec = positionals.join(' ').trim();
  // The name's own rule is the contract's (web, or <project>/<service>): it judges it below.
  const match = /^([^\s=]+)\s*[= ]\s*(\S+)$/.exec(spec);
  if (!match)
    throw new UsageError(
      `expected SERVICE=N, e.g. discovery-tray scale web=3 or discovery-tray scale myproject/api=3; got "${printable(spec)}"`,
    );
  const [, service, count] = match;
  // A value that can never be right is a usage error, whether or not an engine runs: the
  // contract's own validator judges it here, as the engine would.
  const request = {
    service,
    count: /^-?\d+(\.\d+)?$/.test(count ?? '') ? Number(count) : count,
    ...(values.host !== undefined ? { host: values.host } : {}),
  };
  try {
    parseRequest('scale', request);
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const client = await ControlClient.connect();
  const result = await client.call('scale', request as { service: string; count: number; host?: string });
  console.log(
    `${result.service}: ${result.running} running (desired ${result.desired})${result.superseded ? ', superseded by a newer request' : ''}`,
  );
  for (const warning of result.warnings) console.log(`warning: ${printable(warning)}`);
  return EXIT.ok;
}

export async function runStatus(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { json: { type: 'boolean' } },
  });
  const client = await ControlClient.connect();
  const status = await client.call('getStatus');
  console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  return EXIT.ok;
}

export async function runDown(args: string[]): Promise<number> {
  parseArgs({ args, strict: true, allowPositionals: false, options: {} });
  try {
    const client = await ControlClient.connect();
    const { removed } = await client.call('down');
    console.log(`Removed the demo stack (${removed} containers); the engine is stopping.`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof NoEngineError)) throw error;
  }
  // No engine: remove the labelled stack directly.
  const { docker } = await connectDocker();
  const removed = await new Stack(docker, defaultEngineConfig()).down();
  console.log(removed > 0 ? `Removed the demo stack (${removed} containers).` : 'No demo stack to remove.');
  return EXIT.ok;
}
