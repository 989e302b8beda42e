/**
 * A start that must be refused before the stack is touched: the refusal (a UserError) and what the
 * project left on Docker (nothing, when the refusal came first). Shared by the tests of the user's
 * own Consul (addresses, TLS).
 */
import { expect } from 'vitest';
import { Engine } from '../../main/engine/engine.js';
import type { EngineConfig } from '../../main/engine/engine-config.js';
import { UserError } from '../../main/engine/errors.js';
import { STACK_LABEL } from '../../main/engine/stack/stack-config.js';
import { DiscoveryService } from '../../main/service/discovery-service.js';
import { docker } from './docker-fixtures.js';
import { testEngineConfig } from './engine-fixture.js';

export async function refusedStart(
  overrides: Partial<EngineConfig>,
): Promise<{ error: UserError; project: string }> {
  const config = await testEngineConfig({ webCount: 1, ...overrides });
  const app = new DiscoveryService(new Engine(config));
  const error = await app.startDemo().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return { error: error as UserError, project: config.project };
}

/** Containers and networks labelled with the project: 0 after a refusal that came in time. */
export async function stackOf(project: string): Promise<number> {
  const filters = { label: [`${STACK_LABEL}=${project}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  return containers.length + networks.length;
}
