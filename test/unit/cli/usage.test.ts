/** The CLI speaks English (its output is for scripts and logs); its help says where the Chinese README is. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE, chineseReadme } from '../../../main/cli/usage.js';

describe('the CLI help', () => {
  it('points to the README in Simplified Chinese, which exists and has the two commands', () => {
    expect(USAGE.main).toContain(chineseReadme());
    expect(chineseReadme()).toMatch(/README\.zh-CN\.md$/);
    expect(existsSync(chineseReadme())).toBe(true);
    const readme = readFileSync(chineseReadme(), 'utf8');
    expect(readme).toContain('npm ci && npx discovery-tray up');
    expect(readme).toContain('npm run test:all');
  });
});
