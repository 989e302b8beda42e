#!/usr/bin/env node
// `npm start`: runs the desktop app from the build with the Electron binary in node_modules.
// Where that binary is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1), says so and points to
// the headless demo. Reads electron's path.txt itself: requiring 'electron' would try a download.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH)
    return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  if (!relative) return undefined;
  const binary = join(dir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

if (!existsSync(join(root, pkg.main))) {
  console.error(`The app is not built (${pkg.main} is missing). Run: npm run build`);
  process.exit(1);
}

const binary = electronBinary();
if (!binary) {
  console.error(`The Electron binary is not installed on this machine (node_modules/electron has no dist/),
so the desktop app cannot run here. This happens after installing with ELECTRON_SKIP_BINARY_DOWNLOAD=1.

  Run the same demo without the desktop shell:   npx discovery-tray up
  Or install the binary where downloads work:    npm rebuild electron  (or: node node_modules/electron/install.js)`);
  process.exit(1);
}

const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
