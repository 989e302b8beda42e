/**
 * Which of the app's languages a user gets: the one chosen in the settings, or for "system" the
 * first of the system's (or the browser's) languages that the app has. Any Chinese (zh, zh-CN,
 * zh-TW, zh-Hans-SG, …) gets Simplified Chinese; anything the app does not have gets English.
 */
import type { LanguageChoice } from '../settings.js';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language by its own name, so that a user who cannot read the current one still finds theirs. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

/** The app's language for one BCP 47 tag, or undefined when the app has none for it. */
export function supportedLocale(tag: string | undefined): Locale | undefined {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (language === 'zh') return 'zh-CN';
  if (language === 'en') return 'en';
  return undefined;
}

/** The first of the system's languages (most preferred first) that the app has, else English. */
export function systemLocale(systemLanguages: readonly string[]): Locale {
  for (const tag of systemLanguages) {
    const locale = supportedLocale(tag);
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}

export function resolveLocale(choice: LanguageChoice, systemLanguages: readonly string[]): Locale {
  return choice === 'system' ? systemLocale(systemLanguages) : choice;
}

/**
 * The locale numbers and times are formatted in: the system's own tag when it speaks the same
 * language (en-GB keeps its 24-hour clock, zh-TW its conventions), else the app's language.
 */
export function formatLocale(locale: Locale, systemLanguages: readonly string[]): string {
  const own = systemLanguages.find((tag) => supportedLocale(tag) === locale);
  if (own === undefined) return locale;
  try {
    return Intl.getCanonicalLocales(own)[0] ?? locale;
  } catch {
    return locale;
  }
}
