/**
 * Which language the page speaks: the choice made on this page (not saved), else the engine
 * host's setting, else the system's; "system" is the browser's languages (in the desktop window
 * they are Electron's, the same locale the tray follows). Any zh* → 简体中文, else English.
 */
import { watchEffect } from 'vue';
import { formatLocale, resolveLocale, type LanguageChoice } from '../../../contract/index';
import type { DashboardState } from '../state/store';
import type { DashboardI18n } from './dashboard-i18n';

export function languageChoice(state: Pick<DashboardState, 'languageOverride' | 'settings'>): LanguageChoice {
  return state.languageOverride ?? state.settings?.language ?? 'system';
}

/** Keeps the page's language (messages, formats, <html lang>) on the choice; returns a stop function. */
export function followLanguage(
  state: Pick<DashboardState, 'languageOverride' | 'settings'>,
  i18n: DashboardI18n,
  systemLanguages: readonly string[],
  root?: HTMLElement,
): () => void {
  return watchEffect(() => {
    const locale = resolveLocale(languageChoice(state), systemLanguages);
    i18n.setLanguage(locale, formatLocale(locale, systemLanguages));
    // Chinese text needs lang="zh-CN" for the right glyphs and line breaking, screen readers for the voice.
    if (root) root.lang = locale;
  });
}
