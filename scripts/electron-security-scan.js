#!/usr/bin/env node
/**
 * Scans the built desktop app with electronegativity (Doyensec's Electron
 * security scanner) and fails on any HIGH finding. It reads what ships: the
 * main-process build, the preload bundle, the dashboard build and package.json.
 *
 *   npm run build && npm run security:electron
 *
 * The scanner's check of Electron's release feed is left out: it needs the
 * internet, and the Electron version is kept current by hand (package.json).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.cwd();
const parts = ['out/node/main/app', 'out/preload', 'renderer/dist'];
for (const part of parts) {
  if (!existsSync(join(root, part))) {
    console.error(`${part} is missing: run npm run build first.`);
    process.exit(2);
  }
}

const staging = mkdtempSync(join(tmpdir(), 'dt-electronegativity-'));
try {
  for (const part of parts) cpSync(join(root, part), join(staging, part), { recursive: true });
  writeFileSync(join(staging, 'package.json'), readFileSync(join(root, 'package.json')));
  const report = join(staging, 'report.csv');
  const bin = join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
  const run = spawnSync(
    process.execPath,
    [bin, '-i', staging, '-o', report, '-r', '-x', 'availablesecurityfixesglobalcheck'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (run.status !== 0 || !existsSync(report)) {
    console.error(run.stdout, run.stderr);
    console.error('electronegativity did not finish.');
    process.exit(2);
  }
  const rows = readFileSync(report, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
  for (const row of rows) console.log(row.slice(0, 6).join(' | '));
  const high = rows.filter((row) => row.some((cell) => cell === 'HIGH'));
  console.log(`\n${rows.length} finding(s), ${high.length} HIGH.`);
  if (high.length > 0) process.exit(1);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
