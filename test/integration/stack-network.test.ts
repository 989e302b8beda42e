/**
 * The stack's own network is named to sort first, so the LB keeps its published port (its gateway
 * network) when it joins the user's networks; a stack made by an earlier version, whose network has
 * the project's plain name, keeps that network. Real Docker.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Stack } from '../../main/engine/stack/stack.js';
import { STACK_LABEL, stackNetworkName } from '../../main/engine/stack/stack-config.js';
import { docker } from '../support/docker-fixtures.js';
import { removeTestStack, testEngineConfig } from '../support/engine-fixture.js';

describe('the stack network', () => {
  let project: string | undefined;
  afterEach(async () => {
    if (project) await removeTestStack(undefined, project);
  });

  it('sorts before "bridge" and any network name a user or Compose gives', async () => {
    const config = await testEngineConfig();
    project = config.project;
    const name = await new Stack(docker, config).ensureNetwork();
    expect(name).toBe(stackNetworkName(project));
    for (const other of ['bridge', 'app_default', '0abc', 'A-net', `${project}`])
      expect([other, name].sort()[0], `${name} before ${other}`).toBe(name);
    expect((await docker.getNetwork(name).inspect()).Labels?.[STACK_LABEL]).toBe(project);
  });

  it("keeps an earlier version's network, named after the project", async () => {
    const config = await testEngineConfig();
    project = config.project;
    await docker.createNetwork({ Name: project, Driver: 'bridge', Labels: { [STACK_LABEL]: project } });
    const stack = new Stack(docker, config);
    expect(await stack.ensureNetwork()).toBe(project);
    expect(stack.names.network).toBe(project);
    const ours = await docker.listNetworks({ filters: { label: [`${STACK_LABEL}=${project}`] } });
    expect(ours.map((n) => n.Name)).toEqual([project]);
  });
});
