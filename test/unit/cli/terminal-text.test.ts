/**
 * Outside values printed to a terminal cannot drive it: every control
 * character from Docker or Consul shows as a visible escape.
 */
import { describe, expect, it } from 'vitest';
import type { EngineStatus, HitsSnapshot, TrafficStatus } from '../../../contract/index.js';
import { formatHits, formatTraffic } from '../../../main/cli/format-hits.js';
import { formatStatus } from '../../../main/cli/format-status.js';
import { printable } from '../../../main/cli/terminal-text.js';

/** Anything a terminal acts on, other than the newlines that separate lines. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const CLEAR_SCREEN = '\x1b[2J\x1b[H';
const RETITLE = '\x1b]0;owned\x07';
const C1_CSI = '\u009b31m';

describe('printable', () => {
  it('shows C0, DEL and C1 controls as escapes and leaves other text alone', () => {
    expect(printable('web-1')).toBe('web-1');
    expect(printable('naïve ✓ 日本')).toBe('naïve ✓ 日本');
    expect(printable(`a${CLEAR_SCREEN}b`)).toBe('a\\x1b[2J\\x1b[Hb');
    expect(printable(RETITLE)).toBe('\\x1b]0;owned\\x07');
    expect(printable('tab\there\nnew\rline\u0000\u007f')).toBe('tab\\there\\nnew\\rline\\x00\\x7f');
    expect(printable(C1_CSI)).toBe('\\x9b31m');
  });

  it('shows bidi overrides and line separators too', () => {
    expect(printable('abc\u202egpj.exe')).toBe('abc\\u202egpj.exe');
    expect(printable('one\u2028two')).toBe('one\\u2028two');
  });

  it('leaves no control character in any input', () => {
    let all = '';
    for (let code = 0; code < 0x300; code++) all += String.fromCharCode(code);
    const shown = printable(all + '\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2069');
    expect(shown).not.toMatch(TERMINAL_CONTROL);
    expect(shown).not.toContain('\n');
  });
});

function hostileStatus(): EngineStatus {
  const evil = (what: string): string => `${what}${CLEAR_SCREEN}${RETITLE}${C1_CSI}\nFAKE LINE`;
  return {
    state: 'ready',
    adopted: false,
    docker: {
      connected: false,
      endpoint: 'unix:///var/run/docker.sock',
      version: evil('29'),
      error: evil('docker'),
    },
    consul: {
      connected: false,
      url: 'http://127.0.0.1:8500',
      uiUrl: 'http://127.0.0.1:8500/ui/',
      managed: true,
      error: evil('consul'),
    },
    lb: {
      url: 'http://127.0.0.1:8080',
      generation: 3,
      lastError: { at: 1, message: evil('nginx'), excerpt: [evil('12 | server')] },
    },
    template: { name: 'nginx.ctmpl', dependencies: [], lastError: { at: 1, message: evil('template') } },
    services: [
      {
        name: evil('web'),
        running: 1,
        instances: [
          {
            id: evil('id'),
            service: evil('web'),
            containerId: 'c1',
            containerName: evil('container'),
            address: evil('10.0.0.1'),
            port: 80,
            tags: [evil('tag')],
            registeredAt: 1,
            state: 'serving',
          },
        ],
      },
    ],
    scaling: {
      service: 'web',
      starting: [evil('starting')],
      draining: [evil('draining')],
      busy: true,
      max: 20,
    },
    warnings: [{ container: evil('container'), message: evil('warning') }],
  };
}

describe('the terminal formatters with hostile values', () => {
  it('status prints no control character from Docker or Consul, and no forged line', () => {
    const output = formatStatus(hostileStatus());
    expect(output).not.toMatch(TERMINAL_CONTROL);
    expect(output).toContain('container\\x1b[2J\\x1b[H\\x1b]0;owned\\x07\\x9b31m\\nFAKE LINE');
    // Every line the formatter made starts where it should: no value starts a line of its own.
    expect(output.split('\n').filter((line) => line.startsWith('FAKE LINE'))).toEqual([]);
  });

  it('hits and traffic print no control character from the backends', () => {
    const evil = `10.0.0.1:80${CLEAR_SCREEN}\nFAKE`;
    const hits: HitsSnapshot = {
      at: 1,
      source: 'web-logs',
      backends: [{ address: evil, containerName: evil, total: 3, perSecond: 1, share: 1, series: [1, 2] }],
      recent: [evil, evil],
    };
    const traffic: TrafficStatus = {
      running: false,
      ratePerSecond: 10,
      startedAt: 1,
      endsAt: 2,
      sent: 2,
      succeeded: 1,
      failed: 1,
      byBackend: { [evil]: 1 },
      lastError: evil,
    };
    for (const output of [formatHits(hits), formatTraffic(traffic)]) {
      expect(output).not.toMatch(TERMINAL_CONTROL);
      expect(output.split('\n').filter((line) => line.startsWith('FAKE'))).toEqual([]);
      expect(output).toContain('\\x1b[2J');
    }
  });
});
