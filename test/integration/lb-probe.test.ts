/**
 * The LB's reachability probe (real nginx LB image, real containers on the stack's network):
 * "connected" means the TCP connection opened, whatever the backend does next. A backend that
 * accepts late (still loading) or never closes on the client's EOF must not hold the probe.
 */
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execInContainer } from '../../main/engine/docker/exec.js';
import type { LbController } from '../../main/engine/lb/lb-controller.js';
import { parseProbeOutput, probeScript } from '../../main/engine/lb/lb-probe.js';
import { TestResources } from '../support/docker-fixtures.js';
import { shellNumber, startTestLb, type TestLb } from '../support/lb-fixture.js';

/** Listens on port 80 and never accepts: the kernel completes the connection, the process never answers or closes. */
const SILENT_BACKEND = [
  'python3',
  '-S',
  '-c',
  "import _socket, time\ns = _socket.socket()\ns.bind(('0.0.0.0', 80))\ns.listen(8)\ntime.sleep(120)",
];

describe('the LB probe (real nginx LB image)', () => {
  const resources = new TestResources();
  let testLb: TestLb;
  let lbContainer: Dockerode.Container;
  let lb: LbController;
  let silent: string;

  beforeAll(async () => {
    testLb = await startTestLb();
    ({ container: lbContainer, lb } = testLb);
    const network = testLb.network;
    const backend = await resources.run({ network, cmd: SILENT_BACKEND });
    const info = await backend.inspect();
    silent = Object.values(info.NetworkSettings.Networks)[0]!.IPAddress;
    // Until the process listens, a connection is refused: wait for "connected" (bounded).
    for (let i = 0; i < 50; i++) {
      if ((await lb.probe([`${silent}:80`])).get(`${silent}:80`) === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    await resources.cleanup();
    await testLb?.remove();
  });

  it('answers "connected" at once for a backend that never accepts or closes, over the supervisor’s line', async () => {
    const started = performance.now();
    const results = await lb.probe([`${silent}:80`, `${silent}:81`]);
    const took = performance.now() - started;
    expect(results.get(`${silent}:80`)).toBeUndefined();
    expect(results.get(`${silent}:81`)).toMatch(/refused/);
    // Well under the second of nc's connect timeout (it used to wait for the backend to close).
    expect(took).toBeLessThan(900);
  });

  /** The newest PID the LB container's PID namespace handed out (/proc/loadavg's last field). */
  async function lastPid(): Promise<number> {
    return shellNumber(lbContainer, 'read -r a b c d last < /proc/loadavg; echo "${last#*/}"');
  }

  it('probes one target (a new backend’s early probe) with two processes in the LB', async () => {
    // Every process costs a scheduling round on a busy machine, and a new backend waits for this
    // answer. The loop over several targets takes four for one target (two subshells and a
    // command substitution each); one target alone: a background subshell and nc in its command
    // substitution. The PIDs an exec itself takes (runc's own, in the container) are counted first.
    const execTakes = async (): Promise<number> => {
      const before = await lastPid();
      return (await lastPid()) - before;
    };
    // The fewest of five: a process that something else starts meanwhile (a busy machine's
    // lingering one) must not pass for the exec's own, or the probe's would look fewer.
    const execCosts: number[] = [];
    for (let i = 0; i < 5; i++) execCosts.push(await execTakes());
    const execCost = Math.min(...execCosts);
    // Anything else that starts a process in the LB meanwhile only adds: the fewest of three counts.
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = await lastPid();
      expect((await lb.probe([`${silent}:80`])).get(`${silent}:80`)).toBeUndefined();
      counts.push((await lastPid()) - before - execCost);
    }
    expect(Math.min(...counts)).toBe(2);
    // Not connected: the same answer as before, from the same path.
    expect((await lb.probe([`${silent}:81`])).get(`${silent}:81`)).toMatch(/refused/);
  });

  it('answers the same by docker exec (LB containers without the line)', async () => {
    const started = performance.now();
    const { output } = await execInContainer(
      lbContainer,
      ['sh', '-c', probeScript([`${silent}:80`])],
      [],
      5000,
    );
    const took = performance.now() - started;
    expect(parseProbeOutput(output, [`${silent}:80`]).get(`${silent}:80`)).toBeUndefined();
    expect(took).toBeLessThan(1500);
  });
});
