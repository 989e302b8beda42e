import { describe, expect, it } from 'vitest';
import { UserError } from '../../main/engine/errors.js';
import {
  CLIENT_MAX_API,
  CLIENT_MIN_API,
  compareApiVersions,
  negotiateApiVersion,
} from '../../main/engine/docker/api-version.js';
import { parseDockerEvent, sinceParameter } from '../../main/engine/docker/docker-events.js';

/** Runs `fn` and returns what it threw, failing the test if it did not throw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('compareApiVersions', () => {
  it.each([
    ['1.41', '1.41', 0],
    ['1.41', '1.44', -1],
    ['1.52', '1.44', 1],
    ['1.9', '1.10', -1],
    ['1.100', '1.99', 1],
    ['2.0', '1.99', 1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareApiVersions(a, b))).toBe(sign);
  });
});

describe('negotiateApiVersion', () => {
  it('client range is 1.41 to 1.52', () => {
    expect(CLIENT_MIN_API).toBe('1.41');
    expect(CLIENT_MAX_API).toBe('1.52');
  });

  it('speaks the engine version when it is within the client range (Docker 20.10: 1.41)', () => {
    expect(negotiateApiVersion({ ApiVersion: '1.41', MinAPIVersion: '1.12', Version: '20.10.24' })).toBe(
      '1.41',
    );
  });

  it('speaks 1.52 with an engine at 1.52 whose minimum is 1.44 (Docker 29)', () => {
    expect(negotiateApiVersion({ ApiVersion: '1.52', MinAPIVersion: '1.44', Version: '29.0.0' })).toBe(
      '1.52',
    );
  });

  it('speaks an engine version between the bounds', () => {
    expect(negotiateApiVersion({ ApiVersion: '1.45', MinAPIVersion: '1.24' })).toBe('1.45');
  });

  it('caps at the client maximum for a newer engine', () => {
    expect(negotiateApiVersion({ ApiVersion: '1.60', MinAPIVersion: '1.44', Version: '35.0.0' })).toBe(
      CLIENT_MAX_API,
    );
  });

  it('refuses an engine whose minimum is above the client maximum, asking to update the app', () => {
    const error = thrown(() =>
      negotiateApiVersion({ ApiVersion: '1.60', MinAPIVersion: '1.55', Version: '35.0.0' }),
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('docker-unsupported');
    expect((error as UserError).message).toContain('1.55');
    expect((error as UserError).message).toContain(CLIENT_MAX_API);
    expect((error as UserError).message).toMatch(/update/i);
  });

  it('refuses an engine older than 1.41, asking to upgrade Docker', () => {
    const error = thrown(() =>
      negotiateApiVersion({ ApiVersion: '1.40', MinAPIVersion: '1.12', Version: '19.03.15' }),
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('docker-unsupported');
    expect((error as UserError).message).toContain('1.40');
    expect((error as UserError).message).toMatch(/upgrade docker/i);
  });

  it('refuses an engine that reports no API version', () => {
    expect(() => negotiateApiVersion({ Version: 'unknown' })).toThrow(UserError);
  });
});

describe('parseDockerEvent', () => {
  it('parses a modern event (Type, Action, Actor, timeNano)', () => {
    expect(
      parseDockerEvent({
        Type: 'container',
        Action: 'health_status: healthy',
        Actor: { ID: 'abc123', Attributes: { name: 'web-1', image: 'app:1' } },
        time: 1_700_000_000,
        timeNano: 1_700_000_000_000_000_000,
      }),
    ).toEqual({
      id: 'abc123',
      action: 'health_status: healthy',
      attributes: { name: 'web-1', image: 'app:1' },
      timeNano: 1_700_000_000_000_000_000n,
    });
  });

  it('keeps every nanosecond of a timeNano given as a string', () => {
    expect(
      parseDockerEvent({
        Type: 'container',
        Action: 'start',
        Actor: { ID: 'x' },
        timeNano: '1700000000123456789',
      })?.timeNano,
    ).toBe(1_700_000_000_123_456_789n);
  });

  it.each(['network', 'image', 'volume'])('ignores %s events', (type) => {
    expect(
      parseDockerEvent({ Type: type, Action: 'connect', Actor: { ID: 'abc' }, timeNano: 1 }),
    ).toBeUndefined();
  });

  it('parses a legacy event (status, id, time in seconds)', () => {
    expect(parseDockerEvent({ status: 'die', id: 'def456', time: 1_700_000_001 })).toEqual({
      id: 'def456',
      action: 'die',
      attributes: {},
      timeNano: 1_700_000_001_000_000_000n,
    });
  });

  it('returns undefined without an id or an action', () => {
    expect(parseDockerEvent({ Type: 'container', Action: 'start' })).toBeUndefined();
    expect(parseDockerEvent({ Type: 'container', Actor: { ID: 'abc' } })).toBeUndefined();
  });
});

describe('sinceParameter', () => {
  it.each([
    [1_700_000_000_123_456_789n, '1700000000.123456789'],
    [1_700_000_000_000_000_001n, '1700000000.000000001'],
    [1_700_000_000_000_000_000n, '1700000000.000000000'],
    [1_700_000_000_050_000_000n, '1700000000.050000000'],
    [5n, '0.000000005'],
  ])('%s -> %s', (timeNano, expected) => {
    expect(sinceParameter(timeNano)).toBe(expected);
  });
});
