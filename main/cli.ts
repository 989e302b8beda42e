#!/usr/bin/env node
/**
 * discovery-tray: the engine from a terminal. Exit codes scripts can rely on:
 * 0 ok, 1 failed, 2 bad usage, 3 no engine running.
 */
import { runDown, runScale, runStatus } from './cli/client-commands.js';
import { runHits, runTraffic } from './cli/hits-commands.js';
import { UsageError, runUp } from './cli/up.js';
import { EXIT, USAGE } from './cli/usage.js';
import { UserError, errorMessage } from './engine/errors.js';
import { ApiError, NoEngineError } from './server/control-client.js';

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  up: runUp,
  scale: runScale,
  status: runStatus,
  hits: runHits,
  traffic: runTraffic,
  down: runDown,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    console.log(USAGE.main);
    return command ? EXIT.ok : EXIT.usage;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`Unknown command "${command}".\n\n${USAGE.main}`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE[command]);
    return EXIT.ok;
  }
  try {
    return await run(args);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`discovery-tray ${command}: ${errorMessage(error)}\n\n${USAGE[command]}`);
      return EXIT.usage;
    }
    if (error instanceof NoEngineError) {
      console.error(error.message);
      return EXIT.noEngine;
    }
    if (error instanceof ApiError) {
      console.error(error.message);
      return error.code === 'bad-scale' || error.code === 'bad-traffic' || error.status === 400
        ? EXIT.usage
        : EXIT.failure;
    }
    if (error instanceof UserError) {
      console.error(error.message);
      return EXIT.failure;
    }
    console.error(
      `discovery-tray ${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
