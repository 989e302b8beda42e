/**
 * The one validator of each request (contract/requests.ts), as every transport applies it through
 * dispatch: what passes, what is refused, and that the refusal says what is allowed.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS, composeScaleTarget } from '../../../contract/index.js';
import { UserError } from '../../../main/engine/errors.js';
import { parseRequest } from '../../../main/service/dispatch.js';

const refusal = (run: () => unknown): UserError => {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('scale', () => {
  it.each([0, 3, LIMITS.maxWebInstances])('accepts web=%s', (count) => {
    expect(parseRequest('scale', { service: 'web', count })).toEqual({ service: 'web', count });
  });

  it.each([
    ['web', -1],
    ['web', LIMITS.maxWebInstances + 1],
    ['web', 1.5],
    ['web', 'three'],
    ['web', '5'],
    ['web', null],
    ['web', Number.NaN],
    ['web', Infinity],
    ['db', 1],
    [undefined, 1],
  ])('refuses %s=%s, saying what is allowed and that nothing changed', (service, count) => {
    const error = refusal(() => parseRequest('scale', { service, count }));
    expect(error.code).toBe('bad-request');
    expect(error.message).toMatch(/^scale: /);
    expect(error.message).toMatch(/Nothing was changed\.$/);
    expect(error.message).toMatch(new RegExp(`from 0 to ${LIMITS.maxWebInstances}|service must be web`));
  });

  it.each([
    ['shop/web', 1],
    ['shop/web', LIMITS.maxWebInstances],
    ['my_shop-2/api.v2', 3],
    ['0/A', 1],
    [`${'p'.repeat(63)}/${'s'.repeat(63)}`, 2],
  ])('accepts the Compose service %s=%s', (service, count) => {
    expect(parseRequest('scale', { service, count })).toEqual({ service, count });
    expect(composeScaleTarget(service)).toEqual({
      project: service.split('/')[0],
      service: service.split('/')[1],
    });
  });

  it('takes web as the demo, not as a Compose service', () => {
    expect(composeScaleTarget('web')).toBeUndefined();
  });

  it.each([
    ['Shop/web', 1],
    ['shop/', 1],
    ['/web', 1],
    ['shop/web/extra', 1],
    ['-shop/web', 1],
    ['shop/.web', 1],
    ['shop/we b', 1],
    ['shop/web;rm', 1],
    ['shop\\web', 1],
    [`${'p'.repeat(64)}/web`, 1],
    [`shop/${'s'.repeat(64)}`, 1],
  ])('refuses the Compose service %s, saying what a name may be', (service, count) => {
    const error = refusal(() => parseRequest('scale', { service, count }));
    expect(error.code).toBe('bad-request');
    expect(error.message).toMatch(/Compose service/);
    expect(error.message).toMatch(/Nothing was changed\.$/);
  });

  it('keeps a Compose service at 1 or more: new replicas are copies of a running one', () => {
    const error = refusal(() => parseRequest('scale', { service: 'shop/web', count: 0 }));
    expect(error.code).toBe('bad-request');
    expect(error.message).toBe(
      'scale: "shop/web" cannot be scaled to 0: the engine makes new replicas of a Compose service by copying a running one, so it keeps at least 1 (to stop them all, use docker compose stop). Nothing was changed.',
    );
    expect(refusal(() => parseRequest('scale', { service: 'shop/web', count: 101 })).message).toMatch(
      /from 0 to 100; got 101\. Nothing was changed\.$/,
    );
  });
});

describe('startTraffic', () => {
  it('accepts rates 1–200 (fractions too) and whole durations 1–3600 s', () => {
    expect(parseRequest('startTraffic', { ratePerSecond: 50, durationSeconds: 10 })).toEqual({
      ratePerSecond: 50,
      durationSeconds: 10,
    });
    expect(parseRequest('startTraffic', { ratePerSecond: 0.5 + 0.5, durationSeconds: 3600 })).toEqual({
      ratePerSecond: 1,
      durationSeconds: 3600,
    });
  });

  it.each([
    { ratePerSecond: 0, durationSeconds: 10 },
    { ratePerSecond: 201, durationSeconds: 10 },
    { ratePerSecond: 'fast', durationSeconds: 10 },
    { ratePerSecond: '10', durationSeconds: 10 },
    { ratePerSecond: 10, durationSeconds: 0 },
    { ratePerSecond: 10, durationSeconds: 1.5 },
    { ratePerSecond: 10, durationSeconds: 3601 },
    { ratePerSecond: 10 },
    undefined,
  ])('refuses %j, saying what is allowed', (request) => {
    const error = refusal(() => parseRequest('startTraffic', request));
    expect(error.message).toMatch(/from 1 to (200|3600)|needs \{ratePerSecond, durationSeconds\}/);
  });
});

describe('the others', () => {
  it('getTimeline takes nothing or {after: a whole number ≥ 0}', () => {
    expect(parseRequest('getTimeline', undefined)).toBeUndefined();
    expect(parseRequest('getTimeline', { after: 7 })).toEqual({ after: 7 });
    expect(() => parseRequest('getTimeline', { after: -1 })).toThrow(/after must be a whole number/);
    expect(() => parseRequest('getTimeline', { after: '7' })).toThrow(/got "7"/);
  });

  it('setTemplate takes non-empty text within the limit (counted in UTF-8 bytes)', () => {
    expect(parseRequest('setTemplate', { source: 'x' })).toEqual({ source: 'x' });
    expect(() => parseRequest('setTemplate', { source: '  \n' })).toThrow(/The template is empty/);
    const wide = 'é'.repeat(LIMITS.maxTemplateBytes / 2 + 1);
    expect(() => parseRequest('setTemplate', { source: wide })).toThrow(
      `The template is ${LIMITS.maxTemplateBytes + 2} bytes; the limit is ${LIMITS.maxTemplateBytes}.`,
    );
  });

  it('operations without a request refuse one', () => {
    expect(parseRequest('getStatus', undefined)).toBeUndefined();
    expect(() => parseRequest('getStatus', {})).toThrow('getStatus: takes no arguments; got {}.');
  });
});

describe('scale: placement (several engines)', () => {
  it('carries a host name or spread for the demo web', () => {
    expect(parseRequest('scale', { service: 'web', count: 2, host: 'second' })).toEqual({
      service: 'web',
      count: 2,
      host: 'second',
    });
    expect(parseRequest('scale', { service: 'web', count: 4, host: 'spread' })).toMatchObject({
      host: 'spread',
    });
  });

  it('refuses a host that cannot be a name, and any host for a Compose service', () => {
    expect(refusal(() => parseRequest('scale', { service: 'web', count: 2, host: 'a b' })).message).toMatch(
      /host must be a Docker host's name .* or spread; got "a b"/,
    );
    expect(
      refusal(() => parseRequest('scale', { service: 'shop/web', count: 2, host: 'local' })).message,
    ).toMatch(/"shop\/web" is scaled on the local Docker engine only .*: leave out host/);
  });
});
