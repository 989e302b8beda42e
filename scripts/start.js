#!/usr/bin/env node
// `npm start`: runs the desktop app from the build with the Electron binary the `electron` package
// provides, downloading it on the first start as Electron 45 does. Where it cannot, says what is
// missing and the command that fixes it (scripts/electron-launch.js decides).
import { fileURLToPath } from 'node:url';
import { launch } from './electron-launch.js';

const root = fileURLToPath(new URL('..', import.meta.url));
process.exitCode = await launch({
  root,
  env: process.env,
  platform: process.platform,
  args: process.argv.slice(2),
});
