/**
 * Scale 1 → 10 wall time through the engine (until all ten are routed by
 * nginx), as a ratio to the floor: creating and starting the same ten
 * containers directly with the Docker API, in parallel, on the same network.
 */
import type { TestEngine } from '../test/support/engine-fixture.js';
import type Dockerode from 'dockerode';
import { STACK_LABEL, stackNetworkName } from '../main/engine/stack/stack-config.js';
import { summarize, type Summary } from './stats.js';

async function directStart(
  docker: Dockerode,
  { engine }: TestEngine,
  count: number,
  trial: number,
): Promise<number> {
  const { project, images } = engine.config;
  const started = performance.now();
  const containers = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const container = await docker.createContainer({
        name: `${project}-floor-${trial}-${i}`,
        Image: images.web,
        // Not registered: the floor is Docker alone.
        Labels: { [STACK_LABEL]: project, SERVICE_IGNORE: 'true' },
        HostConfig: { NetworkMode: stackNetworkName(project) },
      });
      await container.start();
      return container;
    }),
  );
  const elapsed = performance.now() - started;
  await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => undefined)));
  return elapsed;
}

export interface ScaleUpRatio {
  ratio: number;
  engineMs: Summary;
  dockerMs: Summary;
}

export async function measureScaleUpRatio(
  docker: Dockerode,
  test: TestEngine,
  trials: number,
  count = 10,
): Promise<ScaleUpRatio> {
  const engineSamples: number[] = [];
  const dockerSamples: number[] = [];
  for (let trial = 0; trial < trials; trial++) {
    await test.app.call('scale', { service: 'web', count: 1 });
    dockerSamples.push(await directStart(docker, test, count - 1, trial));
    const started = performance.now();
    const result = await test.app.call('scale', { service: 'web', count: count });
    if (result.running !== count || result.warnings.length > 0)
      throw new Error(`scale to ${count} ended with ${result.running}: ${result.warnings.join('; ')}`);
    engineSamples.push(performance.now() - started);
  }
  await test.app.call('scale', { service: 'web', count: 1 });
  const engineMs = summarize(engineSamples);
  const dockerMs = summarize(dockerSamples);
  return { ratio: Math.round((engineMs.p50 / dockerMs.p50) * 100) / 100, engineMs, dockerMs };
}
