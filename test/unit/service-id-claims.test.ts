import { describe, expect, it } from 'vitest';
import type { AgentServiceEntry } from '../../main/engine/registrator/ownership.js';
import {
  ServiceIdClaims,
  assignServiceIds,
  refusalMessage,
} from '../../main/engine/registrator/service-id-claims.js';

const OWNER = 'discovery-tray@here';
const a = { containerId: 'aaa', containerName: 'web-a' };
const b = { containerId: 'bbb', containerName: 'web-b' };
const c = { containerId: 'ccc', containerName: 'web-c' };

function entry(id: string, meta?: Record<string, string>): AgentServiceEntry {
  return { ID: id, Service: 'svc', Address: '10.0.0.1', Port: 80, ...(meta ? { Meta: meta } : {}) };
}

describe('ServiceIdClaims', () => {
  it('gives an ID to one container at a time, and lets go only for its holder', () => {
    const claims = new ServiceIdClaims();
    expect(claims.claim('x', a)).toBeUndefined();
    expect(claims.claim('x', a)).toBeUndefined();
    expect(claims.claim('x', b)).toEqual(a);
    claims.release('x', b.containerId);
    expect(claims.holderOf('x')).toEqual(a);
    claims.releaseAll(a.containerId);
    expect(claims.claim('x', b)).toBeUndefined();
  });
});

describe('assignServiceIds (a full resync)', () => {
  it('refuses an ID that Consul has from someone else, with or without a dt-owner of its own', () => {
    const agent = {
      theirs: entry('theirs'),
      other: entry('other', { 'dt-owner': 'discovery-tray@elsewhere' }),
      ours: entry('ours', { 'dt-owner': OWNER, 'dt-container': 'gone' }),
    };
    const { holders, refusals } = assignServiceIds(
      [{ holder: a, ids: ['theirs', 'other', 'ours'] }],
      new ServiceIdClaims(),
      agent,
      OWNER,
    );
    expect([...holders.keys()]).toEqual(['ours']);
    expect([...(refusals.get('aaa')?.keys() ?? [])]).toEqual(['theirs', 'other']);
  });

  it('keeps a contested ID with its holder, else the container Consul names, else the first started', () => {
    const claims = new ServiceIdClaims();
    claims.claim('held', b);
    const agent = { named: entry('named', { 'dt-owner': OWNER, 'dt-container': 'ccc' }) };
    const { holders, refusals } = assignServiceIds(
      [
        { holder: a, startedAt: '2025-01-01T00:00:01Z', ids: ['held', 'named', 'first'] },
        { holder: b, startedAt: '2025-01-01T00:00:02Z', ids: ['held', 'named', 'first'] },
        { holder: c, startedAt: '2025-01-01T00:00:03Z', ids: ['held', 'named', 'first'] },
      ],
      claims,
      agent,
      OWNER,
    );
    expect(holders.get('held')).toEqual(b);
    expect(holders.get('named')).toEqual(c);
    expect(holders.get('first')).toEqual(a);
    expect(refusals.get('aaa')?.get('held')).toEqual({ kind: 'held', holder: b });
    expect(refusals.get('ccc')?.get('first')).toEqual({ kind: 'held', holder: a });
  });

  it('says what to change, quoting at most a short head of the ID', () => {
    expect(refusalMessage('container web-b, port 80', 'x', { kind: 'held', holder: a })).toBe(
      'container web-b, port 80: service ID "x" is already used by container web-a; not registered ' +
        '(give each container its own SERVICE_ID, or restart this one once web-a is gone)',
    );
    expect(
      refusalMessage('container web-b, port 80', 'y'.repeat(200), { kind: 'foreign', entry: entry('y') }),
    ).toMatch(
      /service ID "y{60}…" \(200 characters\) is already registered in Consul by someone else \(service "svc"\); not registered, and theirs is left alone \(choose another SERVICE_ID\)$/,
    );
  });
});
