/**
 * The catalogues by locale, and the types that make a message key checked by the compiler:
 * `MessageKey` is every dotted path to a message of the English catalogue, so `t('scale.titel')`
 * does not compile, and `Messages` is the shape every other catalogue must have.
 */
import { en } from './en.js';
import { DEFAULT_LOCALE, type Locale } from './locale.js';
import { zhCN } from './zh-CN.js';

/** The English catalogue's shape, with its texts widened to string. */
export type Messages = Widen<typeof en>;
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** Every message key, as a dotted path ("scale.apply", "errors.not-ready"). */
export type MessageKey = KeyPaths<Messages>;
type KeyPaths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : KeyPaths<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** The values a message's {placeholders} take. */
export type MessageValues = Record<string, string | number>;

/**
 * Formats one message in the active locale. `count` picks the plural form of a message with
 * forms ("none | one | more", or "one | more") and is also available as {count}.
 */
export type Translate = (key: MessageKey, values?: MessageValues, count?: number) => string;

export const MESSAGES: Record<Locale, Messages> = { en, 'zh-CN': zhCN };

/**
 * What both formatters of the catalogue take (vue-i18n in the dashboard, @intlify/core-base in the
 * main process), so the two sides fall back and stay quiet alike.
 */
export const CATALOGUE_OPTIONS = {
  fallbackLocale: DEFAULT_LOCALE,
  messages: MESSAGES,
  // Keys are checked by the compiler (MessageKey) and the catalogues by a test: no console noise.
  missingWarn: false,
  fallbackWarn: false,
  warnHtmlMessage: false,
} as const;
