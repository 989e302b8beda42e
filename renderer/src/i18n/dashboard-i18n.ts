/**
 * The dashboard's messages: vue-i18n over the contract's catalogue (the one the tray uses too).
 * Its message compiler runs JIT (messages become functions over their syntax tree, never eval),
 * so it works under the page's CSP (script-src 'self'). `language` holds what the views format
 * with; `setLanguage` switches both at once.
 */
import { reactive, type App, type InjectionKey } from 'vue';
import { createI18n, type Composer } from 'vue-i18n';
import { CATALOGUE_OPTIONS, DEFAULT_LOCALE, type Locale, type Translate } from '../../../contract/index';

export interface LanguageState {
  /** The catalogue the page speaks. */
  locale: Locale;
  /** The BCP 47 tag numbers and times are formatted in (e.g. en-GB for a British system). */
  formatLocale: string;
}

export const LANGUAGE_KEY: InjectionKey<LanguageState> = Symbol('language');

export interface DashboardI18n {
  readonly language: LanguageState;
  /** Formats outside components (tests, pure helpers). */
  readonly t: Translate;
  install(app: App): void;
  setLanguage(locale: Locale, formatLocale?: string): void;
}

/** A Translate over a vue-i18n composer: typed keys, and `count` picks the plural form. */
export function translatorOf(composer: Pick<Composer, 't'>): Translate {
  return (key, values = {}, count) =>
    count === undefined ? composer.t(key, values) : composer.t(key, { count, ...values }, count);
}

export function createDashboardI18n(
  locale: Locale = DEFAULT_LOCALE,
  formatLocale: string = locale,
): DashboardI18n {
  const i18n = createI18n({
    legacy: false,
    locale,
    ...CATALOGUE_OPTIONS,
  });
  const language = reactive<LanguageState>({ locale, formatLocale });
  const composer = i18n.global as unknown as Composer;
  return {
    language,
    t: translatorOf(composer),
    install(app) {
      app.use(i18n);
      app.provide(LANGUAGE_KEY, language);
    },
    setLanguage(next, nextFormat = next) {
      composer.locale.value = next;
      language.locale = next;
      language.formatLocale = nextFormat;
    },
  };
}
