/**
 * The bounds that keep hostile SERVICE_* values from filling memory: quoted
 * values cut short, per-container and overall caps on warnings, at most 64
 * tags, timeline messages cut.
 */
import { describe, expect, it } from 'vitest';
import type { ContainerFacts } from '../../main/engine/registrator/container-facts.js';
import { MAX_TAGS, servicesForContainer } from '../../main/engine/registrator/service-spec.js';
import {
  MAX_WARNINGS,
  MAX_WARNINGS_PER_CONTAINER,
  MAX_WARNING_CHARS,
  WarningBook,
} from '../../main/engine/registrator/warning-book.js';
import { clipText, quoteValue } from '../../main/engine/text-limits.js';
import { MAX_TIMELINE_MESSAGE_CHARS, Timeline } from '../../main/engine/timeline.js';

function container(labels: Record<string, string>, env: string[] = []): ContainerFacts {
  return {
    Id: 'c'.repeat(64),
    Name: '/web-1',
    Config: { Image: 'web', Env: env, Labels: labels, ExposedPorts: { '80/tcp': {} } },
    HostConfig: { NetworkMode: 'demo' },
    NetworkSettings: { Networks: { demo: { IPAddress: '10.0.0.2' } } },
  };
}

describe('quoteValue and clipText', () => {
  it('quote short values whole and long ones by their head, with the original length', () => {
    expect(quoteValue('a"b')).toBe('"a\\"b"');
    expect(quoteValue('x'.repeat(100_000))).toBe(`"${'x'.repeat(60)}…" (100000 characters)`);
    expect(clipText('short', 10)).toBe('short');
    const clipped = clipText('y'.repeat(5000), 100);
    expect(clipped).toHaveLength(100);
    expect(clipped).toMatch(/^y+… \(5000 characters\)$/);
  });
});

describe('servicesForContainer with hostile values', () => {
  it('quotes a 100 KB bad tag, an oversized meta value and a conflicting setting in short messages', () => {
    const huge = 'x'.repeat(100_000);
    const result = servicesForContainer(
      container({ SERVICE_TAGS: `ok,bad;${huge}`, SERVICE_NOTE: huge, SERVICE_NAME: `web` }, [
        `SERVICE_NAME=${huge}`,
      ]),
      { hostname: 'h', mode: 'internal' },
    );
    expect(result.warnings.length).toBeGreaterThanOrEqual(3);
    for (const warning of result.warnings) expect(warning.length).toBeLessThan(400);
    expect(result.warnings.join('\n')).toContain('(100004 characters)');
  });

  it(`registers at most ${MAX_TAGS} tags, saying how many were dropped`, () => {
    const tags = Array.from({ length: 1000 }, (_, i) => `t${i}`).join(',');
    const result = servicesForContainer(container({ SERVICE_NAME: 'web', SERVICE_TAGS: tags }), {
      hostname: 'h',
      mode: 'internal',
    });
    expect(result.services[0]?.tags).toHaveLength(MAX_TAGS);
    expect(result.services[0]?.tags.at(-1)).toBe(`t${MAX_TAGS - 1}`);
    expect(result.warnings).toEqual([
      `container web-1, port 80: ${1000 - MAX_TAGS} tags past the first ${MAX_TAGS} were dropped (at most ${MAX_TAGS} tags)`,
    ]);
  });
});

describe('WarningBook', () => {
  it('cuts messages, keeps at most 10 per container with a last line about the rest, and reports only new ones', () => {
    const book = new WarningBook();
    const many = Array.from({ length: 50 }, (_, i) => `warning ${i} ${'z'.repeat(i === 0 ? 5000 : 0)}`);
    const fresh = book.set('a', 'web-a', many);
    const kept = book.list();
    expect(kept).toHaveLength(MAX_WARNINGS_PER_CONTAINER);
    expect(fresh).toEqual(kept.map((w) => w.message));
    expect(kept[0]?.message).toHaveLength(MAX_WARNING_CHARS);
    expect(kept.at(-1)?.message).toBe(
      `… and ${50 - MAX_WARNINGS_PER_CONTAINER + 1} more warnings for this container`,
    );
    expect(book.set('a', 'web-a', many)).toEqual([]);
    expect(book.set('a', 'web-a', ['other'])).toEqual(['other']);
    book.set('a', 'web-a', []);
    expect(book.list()).toEqual([]);
  });

  it(`keeps at most ${MAX_WARNINGS} in all, and one line about the containers that did not fit`, () => {
    const book = new WarningBook();
    const timeline: string[] = [];
    for (let i = 0; i < 100; i++)
      timeline.push(...book.set(`c${i}`, `web-${i}`, ['one', 'two', 'three', 'four', 'five']));
    const list = book.list();
    expect(list).toHaveLength(MAX_WARNINGS + 1);
    expect(list.at(-1)).toEqual({
      container: '60 more containers',
      message: `300 warnings not kept (over ${MAX_WARNINGS} warnings in all): fix the settings above first`,
    });
    // The timeline hears of each container once, even of those whose warnings are not kept.
    expect(timeline).toHaveLength(MAX_WARNINGS + 60);
    expect(book.set('c99', 'web-99', ['one', 'two', 'three', 'four', 'five'])).toEqual([]);
    // A container that goes makes room.
    book.delete('c0');
    expect(book.set('c99', 'web-99', ['one', 'two', 'three', 'four', 'five'])).toHaveLength(5);
    expect(book.list()).toHaveLength(MAX_WARNINGS + 1);
  });
});

describe('Timeline messages', () => {
  it(`are cut to ${MAX_TIMELINE_MESSAGE_CHARS} characters`, () => {
    const timeline = new Timeline();
    const event = timeline.record({ kind: 'warning', message: `container ${'q'.repeat(1_000_000)} started` });
    expect(event.message).toHaveLength(MAX_TIMELINE_MESSAGE_CHARS);
    expect(event.message).toMatch(/… \(1000018 characters\)$/);
  });
});
