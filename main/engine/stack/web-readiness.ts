/**
 * Holds the registration of the stack's own web containers until their port
 * listens. registrator registers on Docker's `start`, and nginx routes to a new
 * backend ~100 ms later; a process that is still starting refuses, and three
 * refusals take it out of the classic template's upstream for a minute
 * (`max_fails=3 fail_timeout=60`). Other containers keep registrator's
 * behaviour. Bounded: after `timeoutMs` the container is registered anyway.
 */
import { waitUntilListening } from '../docker/listening-ports.js';
import type { ContainerFacts } from '../registrator/container-facts.js';
import type { RegisteredService } from '../registrator/registrator.js';
import type { Timeline } from '../timeline.js';
import { ROLE_LABEL, STACK_LABEL } from './stack-config.js';

export function holdWebUntilListening(
  project: string,
  timeline: Timeline,
  options: { timeoutMs: number; intervalMs: number } = { timeoutMs: 3000, intervalMs: 5 },
): (container: ContainerFacts, services: readonly RegisteredService[]) => Promise<void> {
  return async (container, services) => {
    const labels = container.Config.Labels ?? {};
    const pid = container.State?.Pid;
    if (labels[STACK_LABEL] !== project || labels[ROLE_LABEL] !== 'web' || !pid) return;
    for (const service of services) {
      const started = Date.now();
      const listening = await waitUntilListening(pid, service.port, options);
      if (!listening && Date.now() - started >= options.timeoutMs) {
        timeline.record({
          kind: 'warning',
          containerId: container.Id,
          message: `${service.containerName} did not listen on port ${service.port} within ${options.timeoutMs / 1000} s; registered anyway`,
        });
      }
    }
  };
}
