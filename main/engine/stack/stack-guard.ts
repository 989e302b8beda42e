/**
 * Keeps the demo stack whole while the engine runs, so that a hand-made fault
 * teaches the right lesson: the LB container stopped or removed by hand comes
 * back with the current config, and a web container that dies outside a scale
 * is replaced when the desired count says so (the registrator has already
 * deregistered it).
 */
import type Dockerode from 'dockerode';
import { DockerEventFollower, type ContainerEvent } from '../docker/docker-events.js';
import { errorMessage } from '../errors.js';
import type { LbController } from '../lb/lb-controller.js';
import type { TemplateLoop } from '../render/template-loop.js';
import type { Scaler } from '../scaler.js';
import type { Timeline } from '../timeline.js';
import { ROLE_LABEL, STACK_LABEL } from './stack-config.js';
import type { Stack } from './stack.js';

const GONE = new Set(['die', 'destroy']);
/** Events of one incident (die, then destroy) arrive together: act once, shortly after. */
const SETTLE_MS = 200;
/** How long Docker's container list may lag behind a `die` event (seen: over 200 ms under load). */
const LIST_LAG_MS = 5000;

export class StackGuard {
  private readonly follower: DockerEventFollower;
  private stopped = false;
  private lbTimer: NodeJS.Timeout | undefined;
  private webTimer: NodeJS.Timeout | undefined;
  private healing: Promise<void> = Promise.resolve();
  /** Web containers that died since the last heal: the list must show them stopped first. */
  private readonly diedWeb = new Set<string>();

  constructor(
    docker: Dockerode,
    private readonly stack: Stack,
    private readonly lb: LbController,
    private readonly loop: TemplateLoop,
    private readonly scaler: Scaler,
    private readonly timeline: Timeline,
  ) {
    this.follower = new DockerEventFollower(docker, { onEvent: (event) => this.onEvent(event) });
  }

  async start(): Promise<void> {
    await this.follower.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.lbTimer);
    clearTimeout(this.webTimer);
    await this.follower.stop();
    await this.healing;
  }

  private onEvent(event: ContainerEvent): void {
    if (this.stopped || !GONE.has(event.action)) return;
    if (event.attributes[STACK_LABEL] !== this.stack.config.project) return;
    const role = event.attributes[ROLE_LABEL];
    if (role === 'lb') {
      clearTimeout(this.lbTimer);
      this.lbTimer = setTimeout(() => this.heal(() => this.healLb()), SETTLE_MS);
    } else if (role === 'web') {
      this.diedWeb.add(event.id);
      clearTimeout(this.webTimer);
      this.webTimer = setTimeout(() => this.heal(() => this.healWeb()), SETTLE_MS);
    }
  }

  private heal(step: () => Promise<void>): void {
    this.healing = this.healing.then(async () => {
      if (this.stopped) return;
      try {
        await step();
      } catch (error) {
        this.timeline.record({
          kind: 'error',
          message: `could not repair the stack: ${errorMessage(error)}`,
        });
      }
    });
  }

  private async healLb(): Promise<void> {
    const [existing] = await this.stack.containers('lb');
    if (existing?.running) return;
    let container: Dockerode.Container;
    if (existing) {
      // Stopped by hand: its files are intact, so it serves the last good config again at once.
      container = this.stack.docker.getContainer(existing.id);
      await container.start();
      this.lb.attach(container, this.lb.status().config);
      this.timeline.record({ kind: 'warning', message: `the LB container was stopped; restarted it` });
    } else {
      container = await this.stack.createLb();
      // A new container serves the bootstrap config: the next render applies the current one.
      this.lb.attach(container, undefined);
      this.timeline.record({ kind: 'warning', message: 'the LB container was removed; recreated it' });
    }
    await this.loop.render();
  }

  private async healWeb(): Promise<void> {
    // A scale in progress converges by itself; its own stops are not faults.
    if (this.scaler.progress().busy) return;
    const died = [...this.diedWeb];
    this.diedWeb.clear();
    await this.untilListedStopped(died);
    const replaced = await this.scaler.reconcile();
    if (replaced > 0) {
      this.timeline.record({
        kind: 'warning',
        message: `${replaced} web container(s) went away outside a scale; started replacements`,
      });
    }
  }

  /**
   * Docker may still list a container as running a moment after its `die` event (under load): the
   * count would look whole and nothing would be replaced. Waits until the list agrees (bounded).
   */
  private async untilListedStopped(ids: readonly string[]): Promise<void> {
    const deadline = Date.now() + LIST_LAG_MS;
    while (!this.stopped && Date.now() < deadline) {
      const running = (await this.stack.containers('web')).filter((c) => c.running && ids.includes(c.id));
      if (running.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
