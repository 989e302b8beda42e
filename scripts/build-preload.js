#!/usr/bin/env node
// Bundles preload/preload.ts into one CommonJS file: a sandboxed preload cannot load other modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['preload/preload.ts'],
  outfile: 'out/preload/preload.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  external: ['electron'],
  // The contract's validators come along (zod): minified, the bundle stays small to load.
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
console.log('preload bundled: out/preload/preload.cjs');
