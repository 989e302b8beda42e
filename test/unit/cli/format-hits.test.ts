import { describe, expect, it } from 'vitest';
import type { BackendHits, HitsSnapshot } from '../../../contract/index.js';
import { formatHits, hostsIn } from '../../../main/cli/format-hits.js';

const backend = (address: string, host?: string): BackendHits => ({
  address,
  ...(host !== undefined ? { host } : {}),
  containerName: `web-${address.split(':')[1]}`,
  total: 5,
  perSecond: 1,
  share: 0.5,
  series: [1],
});
const snapshot = (backends: BackendHits[]): HitsSnapshot => ({
  at: 1,
  source: 'web-logs',
  backends,
  recent: [],
});

describe('formatHits with several Docker engines', () => {
  it('adds a HOST column when the backends run on more than one host', () => {
    const output = formatHits(
      snapshot([backend('172.18.0.5:80', 'local'), backend('10.1.2.3:32768', 'lab2')]),
    ).split('\n');
    expect(output[1]).toMatch(/^HOST\s+BACKEND\s+CONTAINER/);
    expect(output[2]).toMatch(/^local\s+172\.18\.0\.5:80\s/);
    expect(output[3]).toMatch(/^lab2\s+10\.1\.2\.3:32768\s/);
  });

  it('has no HOST column with one engine, nor when every backend runs on one host', () => {
    for (const hits of [
      snapshot([backend('172.18.0.5:80'), backend('172.18.0.6:80')]),
      snapshot([backend('172.18.0.5:80', 'local'), backend('172.18.0.6:80', 'local')]),
    ]) {
      expect(hostsIn(hits)).toBe(1);
      expect(formatHits(hits).split('\n')[1]).toMatch(/^BACKEND\s/);
    }
  });
});
