/** What a view needs to speak the user's language: typed messages and Intl formatters. */
import { computed, inject, type ComputedRef } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Locale, Translate } from '../../../contract/index';
import { formatters, type Formatters } from '../state/format';
import { LANGUAGE_KEY } from './dashboard-i18n';
import { translatorOf } from './dashboard-i18n';

export interface Text {
  t: Translate;
  /** The formatters of the active locale (a ref: templates unwrap it). */
  fmt: ComputedRef<Formatters>;
  locale: ComputedRef<Locale>;
}

export function useText(): Text {
  const composer = useI18n({ useScope: 'global' });
  const language = inject(LANGUAGE_KEY);
  if (!language)
    throw new Error('The dashboard’s language was not provided (createDashboardI18n().install).');
  return {
    t: translatorOf(composer),
    fmt: computed(() => formatters(language.formatLocale)),
    locale: computed(() => language.locale),
  };
}
