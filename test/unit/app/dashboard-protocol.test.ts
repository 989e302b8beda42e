import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('../../support/electron-double.js')).electron);

const { DASHBOARD_CSP, dashboardResponse } = await import('../../../main/app/dashboard-protocol.js');

let dist: string;
let missing: string;
beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'dt-dist-'));
  dist = join(root, 'dist');
  missing = join(root, 'nothing-built');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>dash</title>');
  await writeFile(join(dist, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'outside');
});
afterAll(async () => {
  await rm(join(dist, '..'), { recursive: true, force: true });
});

describe('the app:// protocol', () => {
  it('serves the dashboard build with a strict CSP', async () => {
    const response = await dashboardResponse(dist, 'app://dashboard/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>dash</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toBe(DASHBOARD_CSP);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    const script = await dashboardResponse(dist, 'app://dashboard/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never serves a file outside the build, nor another host', async () => {
    for (const url of [
      'app://dashboard/../secret.txt',
      'app://dashboard/%2e%2e/secret.txt',
      'app://dashboard/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    ]) {
      const response = await dashboardResponse(dist, url);
      expect([403, 404]).toContain(response.status);
      expect(await response.text()).not.toBe('outside');
    }
    expect((await dashboardResponse(dist, 'app://elsewhere/index.html')).status).toBe(404);
    expect((await dashboardResponse(dist, 'app://dashboard/nope.js')).status).toBe(404);
  });

  it('explains a missing dashboard build instead of showing a blank window', async () => {
    const response = await dashboardResponse(missing, 'app://dashboard/index.html');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('The dashboard is not built');
    expect(html).toContain('npm run build');
    expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
  });
});
