/**
 * What a restart with new settings keeps: a stack container stays (adopted) unless what the
 * settings now say differs from what it was made with. The LB whose published port or image
 * changed, the managed Consul whose port or image changed, and the web containers of another
 * image are removed here, before assembly, so that assembly creates them again as configured;
 * everything else (the network, the other containers, Consul's registrations) is kept.
 */
import type Dockerode from 'dockerode';
import type { ProgressReporter } from './images.js';
import { assertPortFree } from './port-check.js';
import type { StackConfig } from './stack-config.js';
import type { Stack, StackContainer } from './stack.js';

export interface Retired {
  lb: boolean;
  consul: boolean;
  /** Web containers removed for running another image (assembly starts as many again). */
  web: number;
}

async function imageOf(docker: Dockerode, id: string): Promise<string | undefined> {
  try {
    return (await docker.getContainer(id).inspect()).Config.Image;
  } catch {
    return undefined;
  }
}

async function differs(
  stack: Stack,
  container: StackContainer,
  image: string,
  port?: number,
): Promise<string | undefined> {
  if (port !== undefined && container.hostPort !== undefined && container.hostPort !== port)
    return `port ${container.hostPort} → ${port}`;
  const current = await imageOf(stack.docker, container.id);
  if (current !== undefined && current !== image) return `image ${current} → ${image}`;
  return undefined;
}

/** Removes the stack containers the settings changed; `managedConsul` false leaves Consul alone. */
export async function retireChanged(
  stack: Stack,
  config: StackConfig,
  options: { managedConsul: boolean; progress: ProgressReporter },
): Promise<Retired> {
  const retired: Retired = { lb: false, consul: false, web: 0 };
  const all = await stack.containers();
  // A new port that is taken changes nothing: checked before anything is removed.
  const lb = all.find((c) => c.role === 'lb');
  if (lb?.hostPort !== undefined && lb.hostPort !== config.lbPort)
    await assertPortFree('lbPort', config.lbPort, 'load balancer');
  const consul = all.find((c) => c.role === 'consul');
  if (options.managedConsul && consul?.hostPort !== undefined && consul.hostPort !== config.consulPort)
    await assertPortFree('consulPort', config.consulPort, 'Consul UI and API');
  for (const container of all) {
    let change: string | undefined;
    if (container.role === 'lb') change = await differs(stack, container, config.images.lb, config.lbPort);
    else if (container.role === 'consul' && options.managedConsul)
      change = await differs(stack, container, config.images.consul, config.consulPort);
    else if (container.role === 'web') change = await differs(stack, container, config.images.web);
    if (!change) continue;
    options.progress(`recreating ${container.name} (${change})`);
    await stack.removeContainer(container.id, container.role === 'web' ? 0 : 2);
    if (container.role === 'lb') retired.lb = true;
    else if (container.role === 'consul') retired.consul = true;
    else if (container.running) retired.web++;
  }
  return retired;
}
