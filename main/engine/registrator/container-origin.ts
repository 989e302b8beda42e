/**
 * Where a registered container comes from, by its labels: a Discovery Tray stack's own, a replica
 * of a Compose service, or neither. The status says from it who may start and stop the container
 * (InstanceView.managedBy); the registrator itself registers every container alike.
 */
import { composeReplicaOf, type ComposeReplicaIdentity } from '../compose/compose-labels.js';
import { scaleBlocker } from '../compose/replica-spec.js';
import { ROLE_LABEL, STACK_LABEL } from '../stack/stack-config.js';
import type { ContainerFacts } from './container-facts.js';

export interface ContainerOrigin {
  /** The stack label's value and the role, on a Discovery Tray stack's containers. */
  stack?: string;
  role?: string;
  /** The Compose replica it is, with why no replica can be copied from it (when that is so). */
  compose?: ComposeReplicaIdentity & { blockedBy?: string };
}

export function containerOrigin(container: ContainerFacts): ContainerOrigin {
  const labels = container.Config.Labels ?? {};
  const stack = labels[STACK_LABEL];
  const role = labels[ROLE_LABEL];
  const replica = composeReplicaOf(labels);
  const blockedBy = replica ? scaleBlocker(container) : undefined;
  return {
    ...(stack ? { stack } : {}),
    ...(role ? { role } : {}),
    ...(replica ? { compose: { ...replica, ...(blockedBy ? { blockedBy } : {}) } } : {}),
  };
}
