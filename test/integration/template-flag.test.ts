/**
 * `discovery-tray up --template-name NAME`: the built-in is rendered now and kept in the state
 * folder, so a plain `up` afterwards renders it again; a name that is not a built-in is a usage
 * error that lists the names. Real processes, real Docker.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../contract/index.js';
import { CliSession } from '../support/cli-session.js';
import { freePort } from '../support/ports.js';
import { waitFor } from '../support/wait.js';

const session = new CliSession('tflag');

async function live(): Promise<EngineStatus['liveTemplate']> {
  return (await session.status()).liveTemplate;
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await waitFor('the engine to stop', () => child.exitCode !== null, { timeoutMs: 30_000 });
}

describe('up --template-name', () => {
  afterAll(() => session.cleanup());

  it('refuses a name that is not a built-in, naming the built-ins', async () => {
    const result = await session.run(['up', '--template-name', 'fancy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--template-name is one of classic, services-localhost; got "fancy"');
  });

  it('renders the named built-in and keeps it for the next plain up', async () => {
    const ports = ['--lb-port', String(await freePort()), '--consul-port', String(await freePort())];
    const first = (await session.up(['--template-name', 'services-localhost', ...ports])).child;
    expect(await live()).toMatchObject({ origin: 'flag', builtin: 'services-localhost' });
    await stop(first);

    const second = (await session.up(ports)).child;
    expect(await live()).toMatchObject({ origin: 'kept', builtin: 'services-localhost' });
    await stop(second);
  });
});
