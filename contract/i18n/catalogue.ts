/**
 * The catalogues by locale, and the types that make a message key checked by the compiler:
 * `MessageKey` is every dotted path to a message of the English catalogue, so `t('scale.titel')`
 * does not compile, and `Messages` is the shape every other catalogue must have.
 */
import { en } from './en.js';
import type { Locale } from './locale.js';
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
