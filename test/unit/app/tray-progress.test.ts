/** The tray's image progress: a disabled menu line and the tooltip, while the engine starts. */
import { describe, expect, it } from 'vitest';
import type { ImageProgress } from '../../../contract/index.js';
import { buildTrayTemplate, trayLook, type TrayActions } from '../../../main/app/tray-menu.js';
import { shortImageName } from '../../../main/app/tray-progress.js';
import { idleStatus, trayState } from './fixtures.js';

function figure(image: string, phase: ImageProgress['phase'], percent: number | null): ImageProgress {
  return {
    image,
    phase,
    layersDone: 0,
    layersTotal: 0,
    bytesDone: 0,
    bytesTotal: 0,
    stepsDone: 0,
    stepsTotal: 0,
    percent,
    message: '',
  };
}

const noActions = new Proxy({}, { get: () => () => undefined }) as TrayActions;

function starting(preparing: ImageProgress[], locale: 'en' | 'zh-CN' = 'en') {
  return trayState('starting', { ...idleStatus(), preparing }, { locale });
}

function labels(state: ReturnType<typeof starting>): string[] {
  return buildTrayTemplate(state, noActions).map((item) => String(item.label ?? ''));
}

describe('the tray while images come', () => {
  it('names each image still coming with its percentage, in a disabled line and the tooltip', () => {
    const state = starting([
      figure('hashicorp/consul:1.20', 'done', 100),
      figure('nginx:1.27-alpine', 'pulling', 45),
      figure('discovery-tray/simple-web:local', 'building', null),
    ]);
    const items = buildTrayTemplate(state, noActions);
    const line = items.find((i) => String(i.label).startsWith('Preparing images'));
    expect(line).toMatchObject({ label: 'Preparing images: nginx 45 %, simple-web…', enabled: false });
    expect(trayLook(state)).toEqual({
      icon: 'working',
      tooltip: 'Discovery Tray: preparing images: nginx 45 %, simple-web…',
    });
  });

  it('says it in Chinese too', () => {
    const state = starting([figure('nginx:1.27-alpine', 'pulling', 7)], 'zh-CN');
    expect(labels(state)).toContain('正在准备镜像：nginx 7 %…');
    expect(trayLook(state).tooltip).toBe('Discovery Tray：正在准备镜像：nginx 7 %…');
  });

  it('has no line once every image is in place, and none outside a start', () => {
    const done = starting([figure('nginx:1.27-alpine', 'done', 100)]);
    expect(labels(done).some((l) => l.includes('Preparing'))).toBe(false);
    expect(trayLook(done).tooltip).toBe('Discovery Tray: starting the demo…');
    const stopped = trayState('stopped', {
      ...idleStatus('stopped'),
      preparing: [figure('a:1', 'pulling', 3)],
    });
    expect(labels(stopped).some((l) => l.includes('Preparing'))).toBe(false);
  });

  it('shortens image names to what a person calls them', () => {
    expect(shortImageName('docker.io/library/nginx:1.27-alpine')).toBe('nginx');
    expect(shortImageName('localhost:5000/team/web')).toBe('web');
    expect(shortImageName('hashicorp/consul@sha256:abc')).toBe('consul');
  });
});
