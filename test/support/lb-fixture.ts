/**
 * An LB container of a test stack on its own (the local LB image, the stack's network) with a
 * controller for it: for the tests that talk to nginx through LbController without an engine.
 */
import Dockerode from 'dockerode';
import { execInContainer } from '../../main/engine/docker/exec.js';
import { LbController, type LbControllerOptions } from '../../main/engine/lb/lb-controller.js';
import { Stack } from '../../main/engine/stack/stack.js';
import { Timeline } from '../../main/engine/timeline.js';
import { removeTestStack, testEngineConfig } from './engine-fixture.js';

export interface TestLb {
  container: Dockerode.Container;
  lb: LbController;
  timeline: Timeline;
  /** The stack's network, for backends the LB should reach. */
  network: string;
  /** The LB's published port on 127.0.0.1. */
  url: string;
  /** Closes the controller and removes the stack. */
  remove(): Promise<void>;
}

export async function startTestLb(options: LbControllerOptions = {}): Promise<TestLb> {
  const config = await testEngineConfig();
  const stack = new Stack(new Dockerode(), config);
  const network = await stack.ensureNetwork();
  const container = await stack.createLb();
  const timeline = new Timeline();
  const lb = new LbController(container, timeline, options);
  return {
    container,
    lb,
    timeline,
    network,
    url: `http://127.0.0.1:${config.lbPort}/`,
    remove: async () => {
      lb.close();
      await removeTestStack(undefined, config.project);
    },
  };
}

/** Runs one shell line in the LB container and reads the number it prints (a count from /proc). */
export async function shellNumber(container: Dockerode.Container, line: string): Promise<number> {
  const { output } = await execInContainer(container, ['sh', '-c', line]);
  return Number(output.trim());
}
