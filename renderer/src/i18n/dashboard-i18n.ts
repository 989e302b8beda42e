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

/** Texts a composer already formatted in its current locale (the catalogues never change at run time). */
const formatted = new WeakMap<object, { locale: string; texts: Map<string, string> }>();
/** Past this many distinct texts (counts, names in values) the cache starts over. */
const MAX_TEXTS = 2000;

/**
 * A Translate over a vue-i18n composer: typed keys, and `count` picks the plural form.
 * Each text is formatted once per locale and values: at 100 backends the views re-render with
 * every push, and vue-i18n's `t` (a message context per call) was the largest part of their
 * render, mostly for column headers and labels that never change.
 */
export function translatorOf(composer: Pick<Composer, 't' | 'locale'>): Translate {
  return (key, values, count) => {
    // Read on every call: a render or computed calling this depends on the language, as with `t`.
    const locale = composer.locale.value;
    let cache = formatted.get(composer);
    if (cache?.locale !== locale) {
      cache = { locale, texts: new Map() };
      formatted.set(composer, cache);
    }
    const id =
      values === undefined && count === undefined
        ? key
        : `${key}\u0000${count}\u0000${JSON.stringify(values)}`;
    let text = cache.texts.get(id);
    if (text === undefined) {
      text =
        count === undefined ? composer.t(key, values ?? {}) : composer.t(key, { count, ...values }, count);
      if (cache.texts.size >= MAX_TEXTS) cache.texts.clear();
      cache.texts.set(id, text);
    }
    return text;
  };
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
