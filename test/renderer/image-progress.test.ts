import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { ImageProgress } from '../../contract/index';
import ImageProgressView from '../../renderer/src/components/ImageProgress.vue';
import { createApiStub, engineStatus } from '../../renderer/src/test/api-stub';
import { mountWithStore } from './helpers';

function figure(overrides: Partial<ImageProgress>): ImageProgress {
  return {
    image: 'nginx:1.27-alpine',
    phase: 'pulling',
    layersDone: 3,
    layersTotal: 7,
    bytesDone: 9_000_000,
    bytesTotal: 20_000_000,
    stepsDone: 0,
    stepsTotal: 0,
    percent: 45,
    message: '',
    ...overrides,
  };
}

describe('Image progress', () => {
  it('shows one bar per image while the stack starts: percent, layers, bytes, build steps', async () => {
    const api = createApiStub({ status: engineStatus({ state: 'starting' }) });
    const { wrapper } = await mountWithStore(ImageProgressView, api);
    expect(wrapper.find('.image-progress').exists()).toBe(false); // nothing pulled yet

    api.push('progress', [
      figure({}),
      figure({
        image: 'discovery-tray/simple-web:local',
        phase: 'building',
        layersTotal: 0,
        layersDone: 0,
        bytesDone: 0,
        bytesTotal: 0,
        stepsDone: 2,
        stepsTotal: 5,
        percent: 40,
      }),
      figure({ image: 'hashicorp/consul:1.20', percent: null, layersTotal: 0, bytesTotal: 0 }),
    ]);
    await flushPromises();
    const bars = wrapper.findAll('[role="progressbar"]');
    expect(bars).toHaveLength(3);
    expect(bars[0]!.attributes('aria-valuenow')).toBe('45');
    expect(bars[0]!.find('.image-bar-fill').attributes('style')).toContain('width: 45%');
    const nginx = wrapper.find('[data-image="nginx:1.27-alpine"]').text();
    expect(nginx).toContain('pulling');
    expect(nginx).toContain('45%');
    expect(nginx).toContain('3 of 7 layers');
    expect(nginx).toContain('9.0 of 20.0 MB');
    const web = wrapper.find('[data-image="discovery-tray/simple-web:local"]').text();
    expect(web).toContain('building');
    expect(web).toContain('step 3 of 5');
    expect(web).not.toContain('layers');
    // Docker has not told the sizes yet: no number, an indeterminate bar.
    expect(wrapper.find('[data-image="hashicorp/consul:1.20"]').text()).toContain('waiting for Docker');
    expect(bars[2]!.attributes('aria-valuenow')).toBeUndefined();
    expect(bars[2]!.classes()).toContain('indeterminate');

    // A newer figure replaces the old one; a failure says why.
    api.push('progress', [
      figure({ percent: 60 }),
      figure({ image: 'x:1', phase: 'failed', message: 'no registry' }),
    ]);
    await flushPromises();
    expect(
      wrapper.find('[data-image="nginx:1.27-alpine"] [role="progressbar"]').attributes('aria-valuenow'),
    ).toBe('60');
    expect(wrapper.find('[data-image="x:1"]').text()).toContain('no registry');

    // The stack is up: the bars go.
    api.pushStatus(engineStatus());
    await flushPromises();
    expect(wrapper.find('.image-progress').exists()).toBe(false);
  });

  it('reads the figures when it opens, in the page language', async () => {
    const api = createApiStub(
      { status: engineStatus({ state: 'starting' }) },
      { getProgress: () => [figure({})] },
    );
    const { wrapper, store } = await mountWithStore(ImageProgressView, api);
    expect(wrapper.findAll('[role="progressbar"]')).toHaveLength(1);
    await store.chooseLanguage('zh-CN');
    await flushPromises();
    expect(wrapper.text()).toContain('正在准备镜像');
    expect(wrapper.text()).toContain('3 / 7 层');
  });
});
