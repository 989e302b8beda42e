/**
 * Issue 6 end to end: the built dashboard in Debian's Chromium, against a real engine with
 * real Docker, Consul and nginx. Walks the scenario in order (one backend → scale to
 * 3 from the page → three rows → traffic → three series and a rotating strip → a broken
 * template shows its nginx -t error) and saves the README's screenshots under docs/.
 * It runs once per language (issue 19), the browser's language choosing the page's: English
 * walks everything; Simplified Chinese walks the key screens (scale, traffic, the nginx -t
 * error under its Chinese heading) and saves docs/dashboard-zh-CN*.png.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../contract/index.js';
import { translatorFor } from '../../main/app/translator.js';
import type { Engine } from '../../main/engine/engine.js';
import type { DiscoveryService } from '../../main/service/discovery-service.js';
import type { ControlServer } from '../../main/server/control-server.js';
import { controlServerFor, removeTestStack, startTestEngine } from '../support/engine-fixture.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium.js';

const rendererDir = fileURLToPath(new URL('../../renderer/', import.meta.url));
const docsDir = fileURLToPath(new URL('../../docs/', import.meta.url));
const DESKTOP = { width: 1280, height: 900 };

interface LanguageRun {
  locale: Locale;
  /** What the browser says its language is (navigator.languages, Accept-Language). */
  browserLocale: string;
  /** The whole walk (dark theme, 800×600, keyboard), or the key screens only. */
  full: boolean;
  shots: { scale?: string; traffic: string; error?: string; dark?: string };
}

const RUNS: LanguageRun[] = [
  {
    locale: 'en',
    browserLocale: 'en-US',
    full: true,
    shots: { scale: 'dashboard-scale.png', traffic: 'dashboard-traffic.png', dark: 'dashboard-dark.png' },
  },
  {
    locale: 'zh-CN',
    browserLocale: 'zh-CN',
    full: false,
    shots: { traffic: 'dashboard-zh-CN.png', error: 'dashboard-zh-CN-error.png' },
  },
];

describe.each(RUNS)('dashboard end to end in $locale (Chromium, real engine)', (run) => {
  const t = translatorFor(run.locale);
  let engine: Engine | undefined;
  let app: DiscoveryService | undefined;
  let control: ControlServer | undefined;
  let origin: string | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const token = randomBytes(24).toString('hex');
  const consoleProblems: string[] = [];
  const failedRequests: string[] = [];

  /** One attribute of every match (the tests' tsconfig has no DOM types, so no element callbacks). */
  const attributes = (selector: string, name: string, on: Page = page): Promise<(string | null)[]> =>
    on.evaluate<(string | null)[]>(
      `[...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => el.getAttribute(${JSON.stringify(name)}))`,
    );
  const focusedTest = (): Promise<string | null> =>
    page.evaluate<string | null>("document.activeElement?.getAttribute('data-test') ?? null");
  /**
   * The states of this test's own web containers. The engine registers every web container on
   * the Docker host (as registrator does), so a stack another test run left or runs at the same
   * time may show up too; the assertions count only ours.
   */
  let project = '';
  const ourStates = async (on: Page = page): Promise<string[]> => {
    const [names, states] = await Promise.all([
      attributes('[data-test="backend-row"]', 'data-container', on),
      attributes('[data-test="backend-row"]', 'data-state', on),
    ]);
    return states.filter((_, i) => names[i]?.startsWith(`${project}-`)).map((state) => state ?? '');
  };
  const rows = async (on: Page = page): Promise<number> =>
    (await ourStates(on)).filter((state) => state !== 'draining').length;

  beforeAll(async () => {
    await build({ root: rendererDir, configFile: `${rendererDir}vite.config.ts`, logLevel: 'warn' });
    ({ engine, app } = await startTestEngine({ webCount: 1 }));
    project = engine.config.project;
    // The control server serves the built dashboard and the API on one 127.0.0.1 origin.
    control = controlServerFor(app, token);
    await control.listen();
    origin = control.address.url;
    await mkdir(docsDir, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({
      viewport: DESKTOP,
      colorScheme: 'light',
      locale: run.browserLocale,
    });
    page = await context.newPage();
    // Script errors and CSP violations (Chromium logs "Refused to … Content Security Policy").
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|Refused to/i.test(text)) consoleProblems.push(text);
      else if (message.type() === 'error' && !text.startsWith('Failed to load resource'))
        consoleProblems.push(text);
    });
    page.on('pageerror', (error) => consoleProblems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (response.status() >= 400) failedRequests.push(`${response.status()} ${path}`);
    });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await control?.close().catch(() => undefined);
    await removeTestStack({ engine });
  });

  it('opens the dashboard with the token from the URL and shows one backend', async () => {
    await page.goto(`${origin!}/?token=${token}`);
    await expect.poll(() => rows(), { timeout: 15_000 }).toBe(1);
    // The token moved into sessionStorage and out of the visible URL.
    expect(page.url()).not.toContain(token);
    await expect
      .poll(() => page.locator('[data-pill="engine"]').textContent(), { timeout: 10_000 })
      .toContain(t('engineState.ready'));
    // The page speaks the browser's language, and says so to the browser.
    expect(await page.evaluate<string>('document.documentElement.lang')).toBe(run.locale);
    expect(await page.locator('#backends-title').textContent()).toBe(t('backends.title'));
    expect(await page.locator('[data-pill="docker"]').getAttribute('class')).toContain('pill-ok');
    expect(await page.locator('[data-pill="consul"]').getAttribute('class')).toContain('pill-ok');
    expect(await page.locator('[data-test="desired"]').textContent()).toBe('1');
    expect(await page.locator('canvas').count()).toBe(1);
  });

  it('scales to 3 from the page and shows three rows within a few seconds', async () => {
    const started = Date.now();
    await page.locator('[data-test="preset-3"]').click();
    // Catch the scale in flight for the README: some rows, not all of them serving yet.
    let captured = false;
    while (Date.now() - started < 15_000) {
      const states = await ourStates();
      const progress = (await page.locator('[data-test="progress"]').textContent()) ?? '';
      const inFlight =
        (states.length >= 2 && states.some((s) => s !== 'serving')) ||
        states.length === 2 ||
        progress.includes('starting');
      if (!captured && states.length >= 2 && inFlight) {
        if (run.shots.scale) await page.screenshot({ path: `${docsDir}${run.shots.scale}` });
        captured = true;
      }
      if (states.length === 3 && states.every((s) => s === 'serving')) break;
      await page.waitForTimeout(100);
    }
    expect(await rows()).toBe(3);
    expect(Date.now() - started).toBeLessThan(10_000);
    if (!captured && run.shots.scale) await page.screenshot({ path: `${docsDir}${run.shots.scale}` });
    expect(await page.locator('[data-test="desired"]').textContent()).toBe('3');
  });

  it('starts traffic and shows three series in the chart and a rotating served-by strip', async () => {
    await page.locator('[data-test="traffic-rate"]').fill('20');
    await page.locator('[data-test="traffic-seconds"]').fill('60');
    await page.locator('[data-test="traffic-toggle"]').click();
    await expect
      .poll(() => page.locator('[data-test="traffic-error"]').count(), { timeout: 2000 })
      .toBe(0)
      .catch(async () => {
        throw new Error(
          `Starting traffic failed: ${await page.locator('[data-test="traffic-error"]').textContent()}`,
        );
      });
    await expect
      .poll(() => page.locator('[data-test="traffic-toggle"]').textContent(), { timeout: 5000 })
      .toContain(t('traffic.stop'));
    await expect
      .poll(() => page.locator('[data-test="legend-item"]').count(), { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
    // Round robin at a glance: the last requests were served by all three backends in turn.
    await expect
      .poll(
        async () => {
          const cells = await attributes('[data-test="strip-cell"]', 'data-address');
          return new Set(cells.slice(-9)).size;
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThanOrEqual(3);
    const colours = await page.evaluate<string[]>(
      '[...document.querySelectorAll(\'[data-test="strip-cell"]\')].slice(-9).map((el) => getComputedStyle(el).backgroundColor)',
    );
    expect(new Set(colours).size).toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(3000);
    await page.screenshot({ path: `${docsDir}${run.shots.traffic}` });
  });

  it.runIf(run.full)(
    'lists every service in the Services tab: our web instances in the config, a foreign one read-only',
    async () => {
      const consulUrl = app!.getStatus().consul.url;
      const foreign = `e2e-foreign-${project}`;
      const put = async (path: string, body?: unknown): Promise<void> => {
        const response = await fetch(`${consulUrl}${path}`, {
          method: 'PUT',
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(5000),
        });
        expect(response.status, await response.text()).toBe(200);
      };
      // Registered by someone else (no owner meta), at an address nobody routes to.
      await put('/v1/agent/service/register', {
        ID: `${foreign}-1`,
        Name: foreign,
        Address: '10.1.2.3',
        Port: 9000,
      });
      try {
        await page.locator('#tab-services').click();
        const web = page.locator('[data-test="service-web"]');
        const ours = web.locator(`tr[data-test^="instance-"]:has-text("${project}-")`);
        await expect.poll(() => ours.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
        const inConfig = await ours.locator('[data-test="in-config"]').allTextContents();
        expect(inConfig.map((text) => text.trim())).toEqual(inConfig.map(() => t('servicesView.inConfig')));
        expect(await web.locator('[data-test="foreign"]').count()).toBe(0);
        const other = page.locator(`[data-test="service-${foreign}"]`);
        await expect.poll(() => other.locator('[data-test="foreign"]').count(), { timeout: 15_000 }).toBe(1);
        expect(await other.locator('tr[data-test^="instance-"]').count()).toBe(1);
        // Read-only: no control of the page scales or stops it.
        expect(await other.locator('button').count()).toBe(0);
      } finally {
        await put(`/v1/agent/service/deregister/${foreign}-1`).catch(() => undefined);
        await page.locator('#tab-timeline').click();
      }
    },
  );

  it('shows the nginx -t error with its lines when the template is broken from the page', async () => {
    await page.locator('#tab-config').click();
    const editor = page.locator('[data-test="template-editor"]');
    await expect.poll(() => editor.inputValue(), { timeout: 5000 }).toContain('least_conn;');
    const broken = (await editor.inputValue()).replace('least_conn;', 'least_conn;\n  bogus_directive on;');
    await editor.fill(broken);
    await page.locator('[data-test="template-apply"]').click();
    const error = page.locator('[data-test="config-error"]');
    await expect.poll(() => error.count(), { timeout: 20_000 }).toBe(1);
    expect(await error.textContent()).toContain('bogus_directive');
    expect(await page.locator('[data-test="config-error-excerpt"]').textContent()).toContain(
      'bogus_directive',
    );
    // The heading in the page's language, nginx's own words as they came.
    expect(await error.locator('h3').textContent()).toContain(t('config.nginxRefused'));
    expect(await page.locator('[data-message="lb-error"]').textContent()).toContain(
      t('status.lbErrorAction'),
    );
    if (run.shots.error) {
      await error.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${docsDir}${run.shots.error}` });
    }
    await page.locator('#tab-timeline').click();
  });

  it.runIf(run.full)('is readable at 800×600 and in the dark theme', async () => {
    const dark = await browser!.newContext({
      viewport: DESKTOP,
      colorScheme: 'dark',
      locale: run.browserLocale,
    });
    try {
      const darkPage = await dark.newPage();
      await darkPage.goto(`${origin!}/?token=${token}`);
      await expect.poll(() => rows(darkPage), { timeout: 15_000 }).toBe(3);
      const background = await darkPage.evaluate<string>('getComputedStyle(document.body).backgroundColor');
      expect(background).toBe('rgb(20, 23, 28)');
      await darkPage.waitForTimeout(1500);
      await darkPage.screenshot({ path: `${docsDir}${run.shots.dark ?? 'dashboard-dark.png'}` });
      await darkPage.setViewportSize({ width: 800, height: 600 });
      // chart.js resizes its canvas from a ResizeObserver, a frame or two after the viewport changes.
      await expect
        .poll(() => darkPage.evaluate<number>('document.documentElement.scrollWidth'), { timeout: 5000 })
        .toBeLessThanOrEqual(800);
    } finally {
      await dark.close();
    }
  });

  it.runIf(run.full)(
    'is operable from the keyboard: Tab to the stepper, arrows and Enter scale',
    async () => {
      await page.locator('#scale-title').click();
      // Tab until the stepper's input has focus (bounded).
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press('Tab');
        if ((await focusedTest()) === 'target') break;
      }
      expect(await focusedTest()).toBe('target');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await expect
        .poll(() => page.locator('[data-test="desired"]').textContent(), { timeout: 10_000 })
        .toBe('2');
      // A leaving container stops counting as running at once (it drains, then goes).
      await expect.poll(() => rows(), { timeout: 15_000 }).toBe(2);
    },
  );

  it('logged no CSP violation, no script error and no failed request', () => {
    expect(consoleProblems).toEqual([]);
    expect(failedRequests).toEqual([]);
  });
});
