/** The folder holding the app's package.json, from source, build output or a packed app. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the app folder (no package.json above the engine)');
    dir = parent;
  }
  cached = dir;
  return dir;
}

export function assetPath(...parts: string[]): string {
  return join(packageRoot(), 'assets', ...parts);
}
