// @ts-check
/**
 * How `npm start` gets the Electron binary. Since Electron 42 the `electron`
 * package has no postinstall: its index.js downloads the binary the first time
 * something requires it (through install.js, @electron/get, honouring
 * ELECTRON_MIRROR, electron_config_cache and the proxy settings), and
 * ELECTRON_SKIP_BINARY_DOWNLOAD no longer does anything there. So the binary
 * is asked of the package itself; `decideLaunch` only says beforehand whether
 * that works, would download, or cannot work, and what fixes it.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The command that downloads the binary on demand, per Electron's installation docs. */
export const INSTALL_COMMAND = 'npx install-electron --no';

/**
 * @typedef {{ kind: 'ready', binary: string, electronVersion: string }
 *   | { kind: 'fetch', electronVersion: string, warning?: string }
 *   | { kind: 'fail', problem: string, fix: string | string[] }} LaunchDecision
 */

/**
 * @typedef {object} LaunchPlace
 * @property {string} root The project folder (package.json with `main`, node_modules/electron).
 * @property {NodeJS.ProcessEnv} env
 * @property {NodeJS.Platform} platform
 * @property {string} [nodeVersion] process.versions.node unless given
 */

/** @param {string} file */
function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** @param {string} a @param {string} b */
function atLeast(a, b) {
  const [x = 0, y = 0] = a.split('.').map(Number);
  const [p = 0, q = 0] = b.split('.').map(Number);
  return x > p || (x === p && y >= q);
}

/** Where node_modules/electron is for `root`, or undefined. @param {string} root */
export function electronPackageDir(root) {
  try {
    const require = createRequire(join(root, 'package.json'));
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** @param {LaunchPlace} place @returns {LaunchDecision} */
export function decideLaunch(place) {
  const { root, env, platform } = place;
  /** @type {{ main?: string }} */
  const pkg = JSON.parse(readText(join(root, 'package.json')) ?? '{}');
  if (!pkg.main || !existsSync(join(root, pkg.main))) {
    return {
      kind: 'fail',
      problem: `The app is not built (${pkg.main ?? 'the main entry'} is missing).`,
      fix: 'npm run build',
    };
  }
  const dir = electronPackageDir(root);
  if (!dir) {
    return {
      kind: 'fail',
      problem:
        'The electron package is not installed (it is a dev dependency: an install with --omit=dev leaves it out).',
      fix: 'npm ci',
    };
  }
  /** @type {{ version?: string }} */
  const electronPkg = JSON.parse(readText(join(dir, 'package.json')) ?? '{}');
  const electronVersion = electronPkg.version ?? 'unknown';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      kind: 'fail',
      problem:
        'There is no graphical session here (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop app has nowhere to show its tray and window.',
      fix: 'run npm start in a desktop session (or through ssh -X)',
    };
  }
  // The same steps as electron's index.js, without its side effect (a download).
  const relative = readText(join(dir, 'path.txt'));
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(override, relative || 'electron');
    if (existsSync(binary)) return { kind: 'ready', binary, electronVersion };
    return {
      kind: 'fail',
      problem: `ELECTRON_OVERRIDE_DIST_PATH is ${override}, and ${binary} does not exist.`,
      fix: `unset ELECTRON_OVERRIDE_DIST_PATH, or point it at an unpacked Electron ${electronVersion}`,
    };
  }
  if (relative && existsSync(join(dir, 'dist', relative))) {
    return { kind: 'ready', binary: join(dir, 'dist', relative), electronVersion };
  }
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return {
      kind: 'fail',
      problem: `The Electron ${electronVersion} binary is not downloaded yet (${join(dir, 'dist')} has none), and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so npm start does not fetch it.`,
      fix: `${INSTALL_COMMAND}   (downloads it once, about 100 MB; or unset ELECTRON_SKIP_BINARY_DOWNLOAD and run npm start again)`,
    };
  }
  const nodeVersion = place.nodeVersion ?? process.versions.node;
  return {
    kind: 'fetch',
    electronVersion,
    ...(atLeast(nodeVersion, '22.12')
      ? {}
      : {
          warning: `Electron's downloader declares Node.js 22.12 or newer; this is ${nodeVersion}. If the download fails, use Node.js 22.12+.`,
        }),
  };
}

/** Says what is missing and the command that fixes it. @param {{ problem: string, fix: string | string[] }} failure */
export function failureText(failure) {
  const [first, ...more] = [failure.fix].flat();
  return [
    failure.problem,
    '',
    `  Fix:                               ${first}`,
    ...more.map((line) => `                                     ${line}`),
    '  Or run the demo without the app:   npx discovery-tray up',
  ].join('\n');
}

/**
 * Asks the electron package for its binary: requiring it returns the path, and
 * downloads the binary first when it is missing (its own index.js does this).
 * @param {string} root
 * @returns {string}
 */
export function electronFromPackage(root) {
  const require = createRequire(join(root, 'package.json'));
  return /** @type {string} */ (require('electron'));
}

/** What to say when the package could not download the binary (its downloader has printed why). @param {string} electronVersion */
export function downloadFailureText(electronVersion) {
  return failureText({
    problem: `Electron ${electronVersion} could not be downloaded (the downloader's error is above).`,
    fix: [
      `${INSTALL_COMMAND}   where downloads work`,
      'behind a proxy: ELECTRON_GET_USE_PROXY=1 HTTPS_PROXY=http://proxy:port npm start',
      'from a mirror: ELECTRON_MIRROR=https://your.mirror/electron/ npm start',
      `offline: ELECTRON_OVERRIDE_DIST_PATH=/path/to/unpacked/electron-${electronVersion} npm start`,
    ],
  });
}

/**
 * Starts the app and resolves with its exit code: 1 with a message on stderr
 * when Electron cannot be had.
 * @param {LaunchPlace & { args: string[], log?: (line: string) => void }} place
 * @returns {Promise<number>}
 */
export async function launch(place) {
  const log = place.log ?? ((line) => console.error(line));
  const decision = decideLaunch(place);
  if (decision.kind === 'fail') {
    log(failureText(decision));
    return 1;
  }
  if (decision.kind === 'fetch') {
    log(`Electron ${decision.electronVersion} is not downloaded yet: fetching it once (about 100 MB).`);
    if (decision.warning) log(decision.warning);
  }
  let binary;
  try {
    binary = electronFromPackage(place.root);
  } catch {
    log(downloadFailureText(decision.electronVersion));
    return 1;
  }
  const child = spawn(binary, [place.root, ...place.args], { stdio: 'inherit', env: place.env });
  const forward = /** @param {NodeJS.Signals} signal */ (signal) => child.kill(signal);
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, forward);
  return new Promise((resolve) => {
    child.on('error', (error) => {
      log(`Electron could not be started (${error.message}): ${binary}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      for (const name of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.off(name, forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
