#!/usr/bin/env node
/**
 * discovery-tray: the engine from a terminal. Exit codes scripts can rely on:
 * 0 ok, 1 failed, 2 bad usage, 3 no engine running (contract/errors.ts maps every error code).
 */
import { runDown, runScale, runStatus } from './cli/client-commands.js';
import { runHits, runTraffic } from './cli/hits-commands.js';
import { UsageError, runUp } from './cli/up.js';
import { exitCodeOf } from '../contract/index.js';
import { printable } from './cli/terminal-text.js';
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
    // The contract's table decides the exit code of every refusal: 2 only for a request that can never be right.
    if (error instanceof ApiError || error instanceof UserError) {
      // Engine messages quote outside values (container names, Consul data): never raw control characters.
      console.error(printable(error.message));
      return exitCodeOf(error.code);
    }
    console.error(
      `discovery-tray ${command} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return EXIT.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
