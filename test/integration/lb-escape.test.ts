/**
 * The LB supervisor writes each config with `read -r` and `printf '%b'`, shell
 * builtins. The unit test checks the round trip in dash (Debian's nginx image);
 * this one checks it in busybox ash, the shell of nginx:alpine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { printfEscape } from '../../main/engine/lb/nginx-files.js';
import { TestResources } from '../support/docker-fixtures.js';
import { testImages } from '../support/images.js';
import { TRICKY_CONFIGS } from '../support/tricky-configs.js';

/** stdout of a finished container, from Docker's multiplexed log format (no TTY: bytes stay as written). */
function stdoutOf(logs: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at + 8 <= logs.length;) {
    const size = logs.readUInt32BE(at + 4);
    if (logs[at] === 1) parts.push(logs.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts);
}

describe("the supervisor's config encoding in busybox ash", () => {
  const resources = new TestResources();
  afterAll(() => resources.cleanup());

  it('writes every tricky config back byte for byte', async () => {
    const script = 'printf "%s\\n" "$1" | { read -r id op config; printf "%b" "$config"; }';
    for (const config of TRICKY_CONFIGS) {
      const container = await resources.run({
        image: testImages.busybox,
        cmd: ['sh', '-c', script, 'sh', `7 apply ${printfEscape(config)}`],
        labels: { SERVICE_IGNORE: 'true' },
      });
      expect(await container.wait()).toMatchObject({ StatusCode: 0 });
      const logs = await container.logs({ stdout: true, stderr: true, follow: false });
      expect(stdoutOf(logs).toString('utf8')).toBe(config);
    }
  });
});
