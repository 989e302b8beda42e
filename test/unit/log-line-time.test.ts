import { describe, expect, it } from 'vitest';
import { withLoggedTime } from '../../main/engine/docker/log-lines.js';

describe("withLoggedTime (Docker's `timestamps` prefix)", () => {
  it('splits off the time, to the millisecond, and keeps the text as logged', () => {
    expect(withLoggedTime('stdout', '2026-12-06T21:07:56.232123456Z 172.18.0.5 served 12 ')).toEqual({
      stream: 'stdout',
      text: '172.18.0.5 served 12 ',
      loggedAtMs: Date.UTC(2026, 11, 6, 21, 7, 56, 232),
    });
  });

  it('reads a whole second and an offset zone', () => {
    expect(withLoggedTime('stderr', '2026-12-06T22:07:56+01:00 x').loggedAtMs).toBe(
      Date.UTC(2026, 11, 6, 21, 7, 56),
    );
  });

  it('keeps a line without the prefix whole, with no time', () => {
    expect(withLoggedTime('stdout', '1764324062.123 172.18.0.5:80 200 GET 0.004')).toEqual({
      stream: 'stdout',
      text: '1764324062.123 172.18.0.5:80 200 GET 0.004',
    });
  });
});
