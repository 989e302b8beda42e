import { describe, expect, it } from 'vitest';
import { SourceChoice } from '../../main/engine/hits/source-choice.js';

describe('SourceChoice', () => {
  it('uses the web logs while containers write a line per request', () => {
    const choice = new SourceChoice({ graceMs: 3000, minHits: 3 });
    for (let i = 0; i < 10; i++) choice.accessHit('a', 1000 + i);
    choice.webLine('a');
    expect(choice.current(10_000)).toBe('web-logs');
  });

  it('switches to the access log when a serving container stays silent past the grace time', () => {
    const choice = new SourceChoice({ graceMs: 3000, minHits: 3 });
    for (let i = 0; i < 5; i++) choice.accessHit('a', 1000 + i);
    expect(choice.current(2000)).toBe('web-logs'); // still within the grace time
    expect(choice.current(4100)).toBe('lb-access-log');
  });

  it('needs a few hits before calling a container silent', () => {
    const choice = new SourceChoice({ graceMs: 3000, minHits: 3 });
    choice.accessHit('a', 1000);
    choice.accessHit('a', 1001);
    expect(choice.current(60_000)).toBe('web-logs');
  });

  it('sticks to the access log when silent containers go and new ones have not spoken yet', () => {
    const choice = new SourceChoice({ graceMs: 3000, minHits: 3 });
    for (let i = 0; i < 5; i++) choice.accessHit('a', 1000 + i);
    expect(choice.current(5000)).toBe('lb-access-log');
    choice.forget('a');
    choice.accessHit('b', 6000);
    expect(choice.current(6500)).toBe('lb-access-log');
  });
});
