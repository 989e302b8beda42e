import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, loadSettings, saveSettings, settingsFile } from '../../../main/app/settings.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dt-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings', () => {
  it('default to keeping the stack on quit', async () => {
    expect(DEFAULT_SETTINGS.stopDemoOnQuit).toBe(false);
    expect(await loadSettings(dir)).toEqual({ stopDemoOnQuit: false });
  });

  it('round-trip through a user-only file, leaving no temporary file behind', async () => {
    const nested = join(dir, 'Discovery Tray');
    await saveSettings(nested, { stopDemoOnQuit: true });
    expect(await loadSettings(nested)).toEqual({ stopDemoOnQuit: true });
    expect(await readdir(nested)).toEqual(['settings.json']);
    expect((await stat(settingsFile(nested))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(settingsFile(nested), 'utf8'))).toEqual({ stopDemoOnQuit: true });
  });

  it('fall back to defaults for a broken or wrongly typed file', async () => {
    await writeFile(settingsFile(dir), '{ not json');
    expect(await loadSettings(dir)).toEqual(DEFAULT_SETTINGS);
    await writeFile(settingsFile(dir), JSON.stringify({ stopDemoOnQuit: 'yes' }));
    expect(await loadSettings(dir)).toEqual(DEFAULT_SETTINGS);
  });
});
