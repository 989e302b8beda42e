/**
 * Holds the registration of the stack's own web containers until their port
 * listens. registrator registers on Docker's `start`, and nginx routes to a new
 * backend ~100 ms later; a process that is still starting refuses, and three
 * refusals take it out of the classic template's upstream for a minute
 * (`max_fails=3 fail_timeout=60`). The replicas of a Compose service that the
 * engine itself started are held the same way (`alsoHold`); other containers keep
 * registrator's behaviour. Bounded: after `timeoutMs` the container is registered anyway.
 *
 * Two ways to tell, chosen per container in one file read: the host's
 * /proc/<pid>/net/tcp where the engine shares /proc with Docker (a Linux engine
 * on the Docker host), else the same table read from inside the container by
 * one `docker exec` (Docker Desktop, remote and rootless engines, podman
 * machine). Neither sends a packet to the container.
 */
import type Dockerode from 'dockerode';
import { waitUntilListeningInside } from '../docker/listening-inside.js';
import { procShowsContainer, waitUntilListening, type WaitOutcome } from '../docker/listening-ports.js';
import type { ContainerFacts } from '../registrator/container-facts.js';
import type { RegisteredService } from '../registrator/registrator.js';
import type { Timeline } from '../timeline.js';
import { ROLE_LABEL, STACK_LABEL } from './stack-config.js';

export interface WebReadinessOptions {
  /** Other containers to hold, by ID (asked once per container, when it first registers). */
  alsoHold?: (containerId: string) => boolean;
  timeoutMs?: number;
  intervalMs?: number;
  /** The host's /proc: '/proc' except in tests, which point it elsewhere to take the other way. */
  procRoot?: string;
  /** Called as soon as a held service listens, before it is registered (the LB probes it early). */
  onListening?: (service: RegisteredService) => void;
}

export function holdWebUntilListening(
  project: string,
  timeline: Timeline,
  options: WebReadinessOptions = {},
): (container: ContainerFacts, services: readonly RegisteredService[], docker?: Dockerode) => Promise<void> {
  const timing = { timeoutMs: options.timeoutMs ?? 3000, intervalMs: options.intervalMs ?? 5 };
  return async (container, services, docker) => {
    const labels = container.Config.Labels ?? {};
    const ownWeb = labels[STACK_LABEL] === project && labels[ROLE_LABEL] === 'web';
    if (!ownWeb && !options.alsoHold?.(container.Id)) return;
    const pid = container.State?.Pid;
    const viaProc = pid ? await procShowsContainer(pid, container.Id, options.procRoot) : false;
    for (const service of services) {
      let outcome: WaitOutcome = 'unknown';
      if (viaProc && pid) {
        // The port inside the container: in published mode `port` is the host's.
        outcome = await waitUntilListening(pid, service.containerPort, {
          ...timing,
          procRoot: options.procRoot,
        });
      }
      // Also where /proc showed the container but not its sockets (a /proc mounted with hidepid).
      if (outcome === 'unknown' && docker) {
        outcome = await waitUntilListeningInside(
          docker.getContainer(container.Id),
          service.containerPort,
          timing,
        );
      }
      if (outcome === 'listening') options.onListening?.(service);
      if (outcome === 'timeout') {
        timeline.record({
          kind: 'warning',
          containerId: container.Id,
          message: `${service.containerName} did not listen on port ${service.containerPort} within ${timing.timeoutMs / 1000} s; registered anyway`,
        });
      } else if (outcome === 'unknown') {
        timeline.record({
          kind: 'warning',
          containerId: container.Id,
          message: `could not tell when ${service.containerName} listens on port ${service.containerPort} (the check needs sh in its image); registered at once`,
        });
      }
    }
  };
}
