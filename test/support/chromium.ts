/**
 * Debian's Chromium as the dashboard tests and the bench launch it (test/env/prepare.sh installs
 * it): headless, no sandbox (CI runs as root), nothing fetched from the network.
 */
export const CHROMIUM = process.env.DT_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
