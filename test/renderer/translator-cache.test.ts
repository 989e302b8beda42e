/**
 * The dashboard's translator formats each text once per language: at 100 backends the views
 * re-render with every push, and vue-i18n's `t` was the largest part of their render (column
 * headers and labels that never change). A language switch formats again, in the new language.
 */
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import type { Composer } from 'vue-i18n';
import { createDashboardI18n, translatorOf } from '../../renderer/src/i18n/dashboard-i18n';

describe('translatorOf', () => {
  it('asks vue-i18n once per key, values and language', () => {
    const locale = ref('en');
    const t = vi.fn((key: string, values: object) => `${locale.value}:${key}:${JSON.stringify(values)}`);
    const translate = translatorOf({ t, locale } as unknown as Pick<Composer, 't' | 'locale'>);

    expect(translate('backends.title')).toBe('en:backends.title:{}');
    expect(translate('backends.title')).toBe('en:backends.title:{}');
    expect(t).toHaveBeenCalledTimes(1);
    // Other values are another text; the same values again are not asked for.
    expect(translate('backends.registered', { count: '3' })).toBe('en:backends.registered:{"count":"3"}');
    expect(translate('backends.registered', { count: '4' })).toBe('en:backends.registered:{"count":"4"}');
    expect(translate('backends.registered', { count: '3' })).toBe('en:backends.registered:{"count":"3"}');
    expect(t).toHaveBeenCalledTimes(3);

    locale.value = 'zh-CN';
    expect(translate('backends.title')).toBe('zh-CN:backends.title:{}');
    expect(t).toHaveBeenCalledTimes(4);
  });

  it('formats the same texts as before, plurals included, and follows a language switch', () => {
    const i18n = createDashboardI18n('en');
    expect(i18n.t('backends.registered', { count: '1' }, 1)).toBe('1 registered');
    expect(i18n.t('backends.registered', { count: '3' }, 3)).toBe('3 registered');
    const title = i18n.t('backends.title');
    i18n.setLanguage('zh-CN');
    expect(i18n.t('backends.title')).not.toBe(title);
    i18n.setLanguage('en');
    expect(i18n.t('backends.title')).toBe(title);
  });
});
