import { describe, expect, it } from 'vitest';
import { UserError } from '../../main/engine/errors.js';
import { validateScaleRequest } from '../../main/engine/scaler.js';

describe('validateScaleRequest', () => {
  it.each([
    ['web', 0, 0],
    ['web', 3, 3],
    ['web', 20, 20],
    ['web', '5', 5],
  ])('accepts %s=%s', (service, count, expected) => {
    expect(validateScaleRequest(service, count, 20)).toEqual({ service: 'web', count: expected });
  });

  it.each([
    ['web', -1],
    ['web', 21],
    ['web', 1.5],
    ['web', 'three'],
    ['web', '2.5'],
    ['web', null],
    ['web', Number.NaN],
    ['web', Infinity],
    ['db', 1],
    [undefined, 1],
  ])('refuses %s=%s with a message that says what is allowed', (service, count) => {
    expect(() => validateScaleRequest(service, count, 20)).toThrow(UserError);
    expect(() => validateScaleRequest(service, count, 20)).toThrow(/Nothing was changed/);
  });

  it('names the maximum in the message', () => {
    expect(() => validateScaleRequest('web', 11, 10)).toThrow(/from 0 to 10/);
  });
});
