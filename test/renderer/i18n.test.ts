/**
 * The dashboard in its users' languages: the same catalogue formats the same in the page
 * (vue-i18n) as in the tray (@intlify/core-base); the page follows the system, then the shared
 * setting; the picker saves the choice for every front end, or keeps it for this page when the
 * engine cannot; numbers and times follow the locale.
 */
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, LOCALES, MESSAGES, type MessageKey } from '../../contract/index';
import { translatorFor } from '../../main/app/translator';
import App from '../../renderer/src/App.vue';
import { formatters } from '../../renderer/src/state/format';
import { createApiStub, engineStatus, instance } from '../../renderer/src/test/api-stub';
import { mountWithStore, textIn } from './helpers';

vi.mock('../../renderer/src/charts/line-chart', () => ({
  createLineChart: (_c: HTMLCanvasElement, config: { data: unknown; options: unknown }) => ({
    data: config.data,
    options: config.options,
    update: vi.fn(),
    destroy: vi.fn(),
  }),
}));

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`),
  );
}
const ALL_KEYS = keys(MESSAGES.en) as MessageKey[];

describe('one catalogue, two formatters', () => {
  it('formats every message of every language the same in the page as in the tray', () => {
    const values = { count: 3, running: 1, desired: 2, url: 'http://127.0.0.1:8080', language: 'English' };
    for (const locale of LOCALES) {
      const page = textIn(locale);
      const tray = translatorFor(locale);
      for (const key of ALL_KEYS) {
        expect(page(key, values), `${locale} ${key}`).toBe(tray(key, values));
        expect(page(key, values, 1), `${locale} ${key} (1)`).toBe(tray(key, values, 1));
      }
    }
  });
});

describe('the page’s language', () => {
  /** Every message of a catalogue, to check that no key leaks into the page. */
  const rawKeyIn = (text: string): string | undefined => ALL_KEYS.find((key) => text.includes(key));

  it('follows a Chinese system: Chinese texts, Chinese formats, <html lang="zh-CN">, no raw key', async () => {
    const api = createApiStub({ status: engineStatus({}, [instance(1), instance(2)]) });
    const { wrapper } = await mountWithStore(App, api, ['zh-CN', 'en']);
    const text = wrapper.text();
    for (const title of ['扩缩容', '实时请求', '后端', '时间线', '配置', '语言'])
      expect(text).toContain(title);
    expect(text).not.toContain('Backends');
    expect(rawKeyIn(text)).toBeUndefined();
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(wrapper.find('[data-pill="engine"]').text()).toContain('就绪');
    // Names of the field stay as users know them.
    expect(wrapper.find('[data-pill="consul"]').text()).toContain('Consul');
    wrapper.unmount();
  });

  it('follows the shared setting over the system, and switches when another front end changes it', async () => {
    const api = createApiStub();
    api.getSettings.mockResolvedValue({ result: { ...DEFAULT_SETTINGS, language: 'zh-CN' } });
    const { wrapper } = await mountWithStore(App, api, ['en-US']);
    expect(wrapper.find('#backends-title').text()).toBe('后端');
    api.push('settings', { ...DEFAULT_SETTINGS, language: 'en' });
    await flushPromises();
    expect(wrapper.find('#backends-title').text()).toBe('Backends');
    expect(document.documentElement.lang).toBe('en');
    wrapper.unmount();
  });

  it('saves a choice from the picker for every front end, naming each language in itself', async () => {
    const api = createApiStub();
    const { wrapper, store } = await mountWithStore(App, api, ['en-US']);
    const select = wrapper.find('[data-test="language"]');
    expect(select.findAll('option').map((o) => o.text())).toEqual([
      'System (English)',
      'English',
      '简体中文',
    ]);
    expect((select.element as HTMLSelectElement).value).toBe('system');
    await select.setValue('zh-CN');
    await flushPromises();
    expect(api.updateSettings).toHaveBeenCalledWith({ language: 'zh-CN' });
    expect(store.state.settings).toEqual({ ...DEFAULT_SETTINGS, language: 'zh-CN' });
    expect(store.state.languageOverride).toBeUndefined();
    expect(wrapper.find('#backends-title').text()).toBe('后端');
    expect(select.findAll('option').map((o) => o.text())).toEqual([
      '跟随系统（English）',
      'English',
      '简体中文',
    ]);
    wrapper.unmount();
  });

  it('keeps a choice the engine could not save for this page, and says so', async () => {
    const api = createApiStub();
    const noToken = { code: 'no-token' as const, message: 'This page has no API token.' };
    api.getSettings.mockResolvedValue({ error: noToken });
    api.updateSettings.mockResolvedValue({ error: noToken });
    const { wrapper } = await mountWithStore(App, api, ['en-US']);
    await wrapper.find('[data-test="language"]').setValue('zh-CN');
    await flushPromises();
    expect(wrapper.find('#backends-title').text()).toBe('后端');
    expect(wrapper.find('[data-test="language-not-saved"]').text()).toBe('只有本页切换了语言。');
    wrapper.unmount();
  });

  it('shows an engine error in Chinese as what to do, then the engine’s own English words', async () => {
    const api = createApiStub();
    api.scale.mockResolvedValue({
      error: { code: 'not-ready', message: 'The demo is not running. Start it first.' },
    });
    const { wrapper } = await mountWithStore(App, api, ['zh-CN']);
    await wrapper.find('[data-test="preset-3"]').trigger('click');
    await flushPromises();
    const error = wrapper.find('[data-test="scale-error"]');
    expect(error.find('strong').text()).toBe('演示尚未运行：请先启动演示。');
    expect(error.find('[lang="en"]').text()).toBe('The demo is not running. Start it first.');
    wrapper.unmount();
  });
});

describe('numbers and times', () => {
  const at = new Date(2026, 10, 28, 15, 4, 5).getTime();
  it('follow the locale', () => {
    expect(formatters('en-US').time(at)).toBe('3:04:05 PM');
    expect(formatters('en-GB').time(at)).toBe('15:04:05');
    expect(formatters('zh-CN').time(at)).toBe('15:04:05');
    expect(formatters('en-US').count(12345)).toBe('12,345');
    expect(formatters('zh-CN').duration(1490)).toBe('1.49秒');
    expect(formatters('zh-CN').duration(12)).toBe('12毫秒');
    expect(formatters('en-US').duration(-3)).toBe('0 ms');
    expect(formatters('zh-CN').secondsAgo(0)).toBe('现在');
    expect(formatters('zh-CN').secondsAgo(10)).toBe('10秒前');
    expect(formatters('en-US').secondsAgo(10)).toBe('10s ago');
    expect(formatters('en-US').percent(0.333)).toBe('33%');
    expect(formatters('en-US').time(undefined)).toBe('—');
  });

  it('fall back to the language for a tag Intl does not take', () => {
    expect(formatters('zh-x-!!').count(1000)).toBe('1,000');
  });
});
