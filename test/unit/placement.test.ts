/** Where `scale web=N --host NAME|spread` puts new replicas and which go first (multi/placement.ts). */
import { describe, expect, it } from 'vitest';
import { SPREAD, chooseHosts, chooseVictims, type PlacedReplica } from '../../main/engine/multi/placement.js';
import { Scaler, type Replica, type ReplicaSet } from '../../main/engine/scaler.js';
import { WebReplicas, type WebHost } from '../../main/engine/stack/web-replicas.js';

const replica = (number: number, host = 'local'): PlacedReplica => ({ number, host });
const numbers = (list: readonly PlacedReplica[]): string[] => list.map((r) => `${r.host}#${r.number}`);

describe('chooseHosts: the host of each new replica', () => {
  const hosts = ['local', 'second', 'third'];

  it('puts every new replica on the local engine without a placement (as before)', () => {
    expect(chooseHosts(3, undefined, hosts, [replica(1, 'second')])).toEqual(['local', 'local', 'local']);
  });

  it('puts every new replica on the host named', () => {
    expect(chooseHosts(2, 'second', hosts, [])).toEqual(['second', 'second']);
  });

  it('spreads each new replica onto the host with the fewest, the first host on a tie', () => {
    expect(chooseHosts(3, SPREAD, ['local', 'second'], [replica(1)])).toEqual(['second', 'local', 'second']);
    expect(chooseHosts(4, SPREAD, hosts, [replica(1), replica(2), replica(3, 'third')])).toEqual([
      'second',
      'second',
      'third',
      'local',
    ]);
  });

  it('spreads only over the hosts given (a lost host takes none), ignoring replicas elsewhere', () => {
    expect(chooseHosts(2, SPREAD, ['local'], [replica(1, 'lost-one')])).toEqual(['local', 'local']);
  });
});

describe('chooseVictims: which replicas a scale-down takes, in order', () => {
  const running = [replica(1), replica(2, 'second'), replica(3), replica(4, 'second'), replica(5, 'second')];

  it('takes the highest numbers first, whatever host, without a placement (as before)', () => {
    expect(numbers(chooseVictims(running, 2, undefined))).toEqual(['second#5', 'second#4']);
    expect(numbers(chooseVictims([replica(1), replica(3), replica(2)], 2, undefined))).toEqual([
      'local#3',
      'local#2',
    ]);
  });

  it("takes the named host's replicas first, then the highest numbers elsewhere", () => {
    expect(numbers(chooseVictims(running, 2, 'local'))).toEqual(['local#3', 'local#1']);
    expect(numbers(chooseVictims(running, 3, 'local'))).toEqual(['local#3', 'local#1', 'second#5']);
  });

  it('spread: takes from the host with the most each time, its highest number first', () => {
    expect(numbers(chooseVictims(running, 1, SPREAD))).toEqual(['second#5']);
    // 2 local + 3 second: second (3), then a tie at 2/2 goes to the host whose highest number is higher (local#3 < second#4).
    expect(numbers(chooseVictims(running, 3, SPREAD))).toEqual(['second#5', 'second#4', 'local#3']);
    expect(chooseVictims(running, 9, SPREAD)).toHaveLength(5);
  });

  it('leaves two hosts balanced when spreading down from 4 to 2', () => {
    const four = [replica(1), replica(2, 'second'), replica(3), replica(4, 'second')];
    const left = four.filter((r) => !chooseVictims(four, 2, SPREAD).includes(r));
    expect(numbers(left).sort()).toEqual(['local#1', 'second#2']);
  });
});

/** A host that keeps its replicas in memory: the set's numbering and routing across hosts. */
class MemoryHost implements WebHost {
  readonly replicas: Replica[] = [];
  constructor(readonly name: string) {}
  list(): Promise<Replica[]> {
    return Promise.resolve([...this.replicas]);
  }
  add(indices: readonly number[]): Promise<Replica[]> {
    const made = indices.map((number) => ({
      id: `${this.name}-${number}`,
      name: `web-${number}`,
      number,
      running: true,
      host: this.name,
    }));
    this.replicas.push(...made);
    return Promise.resolve(made);
  }
  remove(replica: Replica): Promise<void> {
    this.replicas.splice(this.replicas.indexOf(replica), 1);
    return Promise.resolve();
  }
}

describe('WebReplicas over several hosts', () => {
  it('numbers replicas across the hosts, so that no two hosts share a number', async () => {
    const local = new MemoryHost('local');
    const second = new MemoryHost('second');
    const set = new WebReplicas(local, () => [{ name: 'second', web: second }]);
    await set.add(2, () => undefined);
    await set.add(2, () => undefined, ['second', 'local']);
    expect(local.replicas.map((r) => r.number)).toEqual([1, 2, 4]);
    expect(second.replicas.map((r) => r.number)).toEqual([3]);
    await set.remove(
      (await set.list()).find((r) => r.number === 3)!,
      0,
    );
    expect(second.replicas).toEqual([]);
  });

  it('lists the hosts it can place on, a lost one as not connected, and refuses to use it', async () => {
    const set = new WebReplicas(new MemoryHost('local'), () => [{ name: 'gone', web: undefined }]);
    expect(set.hosts()).toEqual([
      { name: 'local', connected: true },
      { name: 'gone', connected: false },
    ]);
    await expect(set.add(1, () => undefined, ['gone'])).rejects.toThrow(/gone is not connected/);
  });
});

describe('Scaler: a placement is checked before anything changes', () => {
  const scalerOver = (set: WebReplicas | ReplicaSet): Scaler =>
    // Nothing past the check is reached: the other parts are never called.
    new Scaler(set, {} as never, {} as never, {} as never, {} as never);

  it('names the hosts it knows when the host is unknown or not connected, and keeps the desired count', async () => {
    const set = new WebReplicas(new MemoryHost('local'), () => [
      { name: 'lab2', web: new MemoryHost('lab2') },
      { name: 'lab3', web: undefined },
    ]);
    const scaler = scalerOver(set);
    await expect(scaler.scale('web', 3, 'nowhere')).rejects.toThrow(
      'nowhere is not a Docker host the engine follows: place web on one of local, lab2, lab3 (not connected), or spread. Nothing was changed.',
    );
    await expect(scaler.scale('web', 3, 'lab3')).rejects.toThrow(/^lab3 is not connected/);
    expect(scaler.desiredCount).toBeUndefined();
    expect(await set.list()).toEqual([]);
  });

  it('refuses any placement for a set that takes none (a Compose service)', async () => {
    const compose: ReplicaSet = {
      target: 'shop/api',
      list: () => Promise.resolve([]),
      add: () => Promise.resolve([]),
      remove: () => Promise.resolve(),
    };
    await expect(scalerOver(compose).scale('shop/api', 2, 'local')).rejects.toThrow(
      /shop\/api is scaled on the local Docker engine only/,
    );
  });
});
