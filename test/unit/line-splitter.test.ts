import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LOG_LINE_CHARS } from '../../main/engine/docker/line-splitter.js';

describe('LineSplitter', () => {
  it('hands over complete lines, across chunks, without the carriage return', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((text) => lines.push(text));
    splitter.push('one\r\ntw');
    splitter.push('o\nthr');
    expect(lines).toEqual(['one', 'two']);
    splitter.push('ee\n\n');
    expect(lines).toEqual(['one', 'two', 'three', '']);
    expect(splitter.bufferedChars).toBe(0);
  });

  it('holds at most the cap while a 10 MB line without a newline streams in, then skips it whole', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((text) => lines.push(text));
    splitter.push('before\n');
    let mostHeld = 0;
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) {
      splitter.push(chunk);
      mostHeld = Math.max(mostHeld, splitter.bufferedChars);
    }
    expect(mostHeld).toBeLessThanOrEqual(MAX_LOG_LINE_CHARS);
    expect(splitter.bufferedChars).toBe(0);
    splitter.push('xxxx\nafter\n');
    expect(lines).toEqual(['before', 'after']);
    expect(splitter.droppedLines).toBe(1);
  });

  it('skips an overlong line that arrives in one chunk, and keeps a line of exactly the cap', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((text) => lines.push(text), 10);
    splitter.push(`${'a'.repeat(11)}\n${'b'.repeat(10)}\nc`);
    expect(lines).toEqual(['b'.repeat(10)]);
    splitter.push('d'.repeat(9));
    expect(splitter.bufferedChars).toBe(10);
    splitter.push('e\nok\n');
    expect(lines).toEqual(['b'.repeat(10), 'ok']);
    expect(splitter.droppedLines).toBe(2);
  });
});
