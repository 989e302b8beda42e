/**
 * The dashboard's browser path in real Chromium against a stand-in engine that speaks the
 * contract: token from the URL, EventSource updates, chart.js drawing live series under the
 * strict CSP, and the served-by strip rotating. No Docker needed; the real-engine walk is
 * dashboard.e2e.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEngine, type FakeEngine } from './fake-engine.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.js';

const rendererDir = fileURLToPath(new URL('../../renderer/', import.meta.url));
const distDir = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));

describe('dashboard browser path (Chromium, contract stand-in)', () => {
  let engine: FakeEngine;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    await build({ root: rendererDir, configFile: `${rendererDir}vite.config.ts`, logLevel: 'warn' });
    engine = await startFakeEngine(distDir, 'fake-token');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text()))
        problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('receives pushes over EventSource and draws one live series per backend', async () => {
    await page.goto(`${engine.url}/#token=${engine.token}`);
    await expect.poll(() => page.locator('[data-test="backend-row"]').count(), { timeout: 10_000 }).toBe(1);
    expect(page.url()).not.toContain('fake-token');
    await page.locator('[data-test="preset-3"]').click();
    await expect.poll(() => page.locator('[data-test="backend-row"]').count(), { timeout: 5000 }).toBe(3);
    expect(engine.scaleCalls).toEqual([3]);
    await expect.poll(() => page.locator('[data-test="legend-item"]').count(), { timeout: 10_000 }).toBe(3);
    // No "refreshing every few seconds" note: the stream is live.
    expect(await page.locator('[data-message="polling"]').count()).toBe(0);
    // Round robin: consecutive cells of the strip name different backends.
    await expect
      .poll(
        async () => {
          const cells = await page.evaluate<(string | null)[]>(
            "[...document.querySelectorAll('[data-test=\"strip-cell\"]')].slice(-6).map((el) => el.getAttribute('data-address'))",
          );
          return cells.length === 6 && cells.every((c, i) => i === 0 || c !== cells[i - 1])
            ? new Set(cells).size
            : 0;
        },
        { timeout: 10_000 },
      )
      .toBe(3);
    // chart.js drew on the canvas (some non-transparent pixels) under script-src/style-src 'self'.
    const painted = await page.evaluate<number>(
      "(() => { const c = document.querySelector('canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()",
    );
    expect(painted).toBeGreaterThan(1000);
    await expect.poll(() => page.locator('[data-test="chain"]').count(), { timeout: 5000 }).toBe(2);
  });

  it('switches language from the picker for every dashboard: the choice is the engine host’s setting', async () => {
    const pickerOf = (on: Page) => on.locator('[data-test="language"]');
    const title = (on: Page) => on.locator('#backends-title').textContent();
    expect(await title(page)).toBe('Backends');
    await pickerOf(page).selectOption('zh-CN');
    await expect.poll(() => title(page), { timeout: 5000 }).toBe('后端');
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe('zh-CN');
    // Another dashboard, in an English browser, opens in the language the first one chose…
    const other = await browser.newContext({ viewport: { width: 800, height: 600 }, locale: 'en-US' });
    try {
      const second = await other.newPage();
      second.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy|Refused to/i.test(m.text()))
          problems.push(m.text());
      });
      second.on('pageerror', (e) => problems.push(e.message));
      await second.goto(`${engine.url}/#token=${engine.token}`);
      await expect.poll(() => title(second), { timeout: 10_000 }).toBe('后端');
      // …and when it goes back to the system's language, the first follows over the event stream.
      await pickerOf(second).selectOption('system');
      await expect.poll(() => title(second), { timeout: 5000 }).toBe('Backends');
      await expect.poll(() => title(page), { timeout: 5000 }).toBe('Backends');
    } finally {
      await other.close();
    }
  });

  it('fits 800×600 without horizontal scrolling, and logged no CSP violation or error', async () => {
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
    expect(problems).toEqual([]);
  });
});
