/**
 * The one catalogue: English and Simplified Chinese have the same keys and the same placeholders,
 * every message compiles in the syntax both sides read (vue-i18n's), and none is mangled by it
 * (an unescaped @ or | would silently change a text). Plus the language rules.
 */
import { compile } from '@intlify/core-base';
import { describe, expect, it } from 'vitest';
import {
  LOCALES,
  MESSAGES,
  formatLocale,
  resolveLocale,
  systemLocale,
  type MessageKey,
  type Messages,
} from '../../../contract/index.js';
import { translatorFor } from '../../../main/app/translator.js';

function flatten(tree: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree))
    if (typeof value === 'string') out.set(`${prefix}${key}`, value);
    else for (const [k, v] of flatten(value as object, `${prefix}${key}.`)) out.set(k, v);
  return out;
}

const placeholders = (text: string): string[] =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

const catalogues = LOCALES.map((locale) => [locale, flatten(MESSAGES[locale])] as const);
const english = flatten(MESSAGES.en);

describe('the message catalogues', () => {
  it('have exactly the same keys in every language', () => {
    for (const [locale, messages] of catalogues)
      expect([...messages.keys()].sort(), locale).toEqual([...english.keys()].sort());
  });

  it('use the same placeholders in every language', () => {
    for (const [locale, messages] of catalogues)
      for (const [key, text] of english)
        expect(placeholders(messages.get(key) ?? ''), `${locale} ${key}`).toEqual(placeholders(text));
  });

  it('have no empty message', () => {
    for (const [locale, messages] of catalogues)
      for (const [key, text] of messages) expect(text.trim(), `${locale} ${key}`).not.toBe('');
  });

  it('compile without an error in the syntax the dashboard and the tray share', () => {
    for (const [locale, messages] of catalogues)
      for (const [key, text] of messages) {
        const errors: string[] = [];
        const context = { key, locale, onError: (error: Error) => errors.push(error.message) };
        compile(text, context as Parameters<typeof compile>[1]);
        expect(errors, `${locale} ${key}: ${text}`).toEqual([]);
      }
  });

  it('come out as written: every placeholder filled, nothing else changed (no unescaped @ or |)', () => {
    for (const locale of LOCALES) {
      const t = translatorFor(locale);
      for (const [key, source] of flatten(MESSAGES[locale])) {
        const values = Object.fromEntries(placeholders(source).map((name) => [name, `<${name}>`]));
        // A key is plural when its English source has forms (none | one | more, or one | more);
        // anywhere else a | is a slip and must come out as written.
        const plural = english.get(key)!.includes(' | ');
        const forms = plural ? source.split(' | ') : [source];
        const count = plural ? 7 : undefined;
        const chosen = forms.length === 3 ? forms[2]! : forms.length === 2 ? forms[1]! : forms[0]!;
        const expected = chosen.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === 'count' && count !== undefined && !(name in values) ? String(count) : `<${name}>`,
        );
        expect(t(key as MessageKey, values, count), `${locale} ${key}`).toBe(expected);
      }
    }
  });

  it('checks keys at compile time', () => {
    const t = translatorFor('en');
    // @ts-expect-error a key that does not exist is a type error, never a raw key on screen
    t('scale.titel');
    // @ts-expect-error so is a section instead of a message
    t('scale');
    const missing: Messages = MESSAGES.en;
    expect(missing.scale.title).toBe('Scale');
  });
});

describe('the language rules', () => {
  it('gives any Chinese Simplified Chinese, English to the rest, the first the app has wins', () => {
    expect(systemLocale(['zh-CN'])).toBe('zh-CN');
    expect(systemLocale(['zh-TW'])).toBe('zh-CN');
    expect(systemLocale(['zh-Hans-SG'])).toBe('zh-CN');
    expect(systemLocale(['zh_CN.UTF-8'])).toBe('zh-CN');
    expect(systemLocale(['de-DE', 'zh-CN', 'en'])).toBe('zh-CN');
    expect(systemLocale(['fr-FR'])).toBe('en');
    expect(systemLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(systemLocale([])).toBe('en');
    expect(systemLocale([''])).toBe('en');
  });

  it('follows the system only for "system"', () => {
    expect(resolveLocale('system', ['zh-CN'])).toBe('zh-CN');
    expect(resolveLocale('en', ['zh-CN'])).toBe('en');
    expect(resolveLocale('zh-CN', ['en-US'])).toBe('zh-CN');
  });

  it('formats in the system’s own tag when it speaks the language (24-hour clock in en-GB)', () => {
    expect(formatLocale('en', ['en-GB'])).toBe('en-GB');
    expect(formatLocale('zh-CN', ['zh-TW'])).toBe('zh-TW');
    expect(formatLocale('en', ['zh-CN'])).toBe('en');
    expect(formatLocale('en', ['not a tag!'])).toBe('en');
  });
});
