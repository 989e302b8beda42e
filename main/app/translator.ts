/**
 * The main process's messages (tray, tooltips, dialogs): the contract's one catalogue, formatted
 * by @intlify/core-base, the core that vue-i18n itself runs on in the dashboard, so both sides
 * read the same message syntax the same way.
 */
import {
  compile,
  createCoreContext,
  fallbackWithLocaleChain,
  registerLocaleFallbacker,
  registerMessageCompiler,
  registerMessageResolver,
  resolveValue,
  translate,
} from '@intlify/core-base';
import { CATALOGUE_OPTIONS, type Locale, type Translate } from '../../contract/index.js';

// What vue-i18n registers when it loads: the message compiler (JIT: messages become functions
// over their syntax tree, no eval), the key-path resolver and the locale fallback chain.
registerMessageCompiler(compile);
registerMessageResolver(resolveValue);
registerLocaleFallbacker(fallbackWithLocaleChain);

type Context = Parameters<typeof translate>[0];

const translators = new Map<Locale, Translate>();

function createTranslator(locale: Locale): Translate {
  const context = createCoreContext({
    locale,
    ...CATALOGUE_OPTIONS,
  }) as unknown as Context;
  return (key, values = {}, count) => {
    const named = count === undefined ? values : { count, ...values };
    const text: unknown =
      count === undefined ? translate(context, key, named) : translate(context, key, named, count);
    return typeof text === 'string' ? text : key;
  };
}

/** The messages of one locale (one compiled context per locale, kept). */
export function translatorFor(locale: Locale): Translate {
  let translator = translators.get(locale);
  if (!translator) {
    translator = createTranslator(locale);
    translators.set(locale, translator);
  }
  return translator;
}
