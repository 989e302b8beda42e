/**
 * The LB supervisor writes each config with `read -r` and `printf '%b'`, shell
 * builtins. The unit test checks the round trip in dash (Debian's nginx image);
 * this one checks it in busybox ash, the shell of nginx:alpine.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { printfEscape } from '../../main/engine/lb/nginx-files.js';
import { TestResources } from '../support/docker-fixtures.js';
import { stdoutFrames } from '../support/docker-logs.js';
import { testImages } from '../support/images.js';
import { TRICKY_CONFIGS } from '../support/tricky-configs.js';

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
      expect(stdoutFrames(logs).toString('utf8')).toBe(config);
    }
  });
});
