/**
 * The engine host's settings, shared by the window, every browser dashboard and the tray: one
 * schema that validates what a dashboard sends and what the settings file holds. Each field has
 * its own schema and default, so that one bad field in the file costs that field only; a new
 * setting is one more entry in SETTING_FIELDS.
 */
import * as z from 'zod';

/** The dashboard's and the tray's language: the system's, or one the user chose. */
export const LANGUAGE_CHOICES = ['system', 'en', 'zh-CN'] as const;
export type LanguageChoice = (typeof LANGUAGE_CHOICES)[number];

const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** Consul: the dev server the engine runs in the stack, or the user's own (address + ACL token). */
export const CONSUL_MODES = ['managed', 'own'] as const;
export type ConsulMode = (typeof CONSUL_MODES)[number];

/** How a saved ACL token is shown to every front end: never in full, only its last 4 characters. */
export const TOKEN_MASK_PREFIX = '••••••••';
export function maskToken(token: string): string {
  return token === '' ? '' : `${TOKEN_MASK_PREFIX}${token.length > 12 ? token.slice(-4) : ''}`;
}
/** A masked token sent back (a form that was not edited) means "keep the saved one". */
export function isMaskedToken(value: string): boolean {
  return value.startsWith(TOKEN_MASK_PREFIX);
}

function port(name: string): z.ZodNumber {
  const error = (issue: { input?: unknown }): string =>
    `${name} must be a port number from 1 to 65535; got ${shown(issue.input)}.`;
  return z.number({ error }).int({ error }).min(1, { error }).max(65535, { error });
}

/** A Docker image reference: repository[:tag][@digest], as `docker pull` takes it. */
const IMAGE_REFERENCE =
  /^[a-z0-9][a-z0-9._/-]*(?::[0-9]{1,5}\/[a-z0-9._/-]+)?(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

function image(name: string, example: string): z.ZodString {
  const error = (issue: { input?: unknown }): string =>
    `${name} must be a Docker image reference such as ${example} (lowercase repository, optional :tag); got ${shown(issue.input)}.`;
  return z.string({ error }).max(255, { error }).regex(IMAGE_REFERENCE, { error });
}

/** unix://, tcp://, ssh://, npipe:// or an absolute socket path; empty: search (DOCKER_HOST, context, sockets). */
const DOCKER_ENDPOINT = /^(?:$|(?:unix|tcp|ssh|npipe|http|https):\/\/\S+|\/\S*|[A-Za-z]:\\\S*|\\\\\S+)$/;
const dockerHostError = (issue: { input?: unknown }): string =>
  `dockerHost must be empty (search automatically) or an endpoint such as unix:///var/run/docker.sock, tcp://127.0.0.1:2375, ssh://user@host or npipe:////./pipe/docker_engine; got ${shown(issue.input)}.`;

/** HOST:PORT or http(s)://HOST:PORT, or several agents of one cluster separated by commas; empty while Consul is managed. */
const CONSUL_ADDRESS_ENTRY = String.raw`(?:https?:\/\/)?[A-Za-z0-9.[\]:_-]+(?::[0-9]{1,5})?\/?`;
const CONSUL_ADDRESS = new RegExp(`^(?:$|${CONSUL_ADDRESS_ENTRY}(?:\\s*,\\s*${CONSUL_ADDRESS_ENTRY})*)$`);
const consulAddressError = (issue: { input?: unknown }): string =>
  `consulAddress must be HOST:PORT or http(s)://HOST:PORT of your Consul, e.g. 127.0.0.1:8500 (several agents of one cluster: separate them with commas); got ${shown(issue.input)}.`;

/** Consul ACL tokens are UUIDs; anything printable without spaces is accepted (or a masked one, kept). */
const tokenError = (issue: { input?: unknown }): string =>
  `consulToken must be an ACL token (printable characters, no spaces, at most 256), or empty for none; got ${typeof issue.input === 'string' ? `${issue.input.length} characters` : shown(issue.input)}.`;

/** A path on the engine's machine (no line breaks); empty: the system's CAs. */
const caFileError = (issue: { input?: unknown }): string =>
  `consulCaFile must be empty (trust the system's CAs) or the path of the PEM file of the CA that signed your https Consul's certificates, e.g. /etc/consul/ca.pem; got ${shown(issue.input)}.`;

/** Every setting: its validator (whose message says what is allowed) and its default. */
export const SETTING_FIELDS = {
  language: {
    schema: z.enum(LANGUAGE_CHOICES, {
      error: (issue) => `language must be one of ${LANGUAGE_CHOICES.join(', ')}; got ${shown(issue.input)}.`,
    }),
    default: 'system' as LanguageChoice,
  },
  dockerHost: {
    schema: z
      .string({ error: dockerHostError })
      .max(1024, { error: dockerHostError })
      .regex(DOCKER_ENDPOINT, { error: dockerHostError }),
    default: '',
  },
  lbPort: { schema: port('lbPort'), default: 8080 },
  consulPort: { schema: port('consulPort'), default: 8500 },
  consulImage: { schema: image('consulImage', 'hashicorp/consul:1.20'), default: 'hashicorp/consul:1.20' },
  lbImage: { schema: image('lbImage', 'nginx:alpine'), default: 'nginx:alpine' },
  webImage: {
    schema: image('webImage', 'discovery-tray/simple-web:latest'),
    default: 'discovery-tray/simple-web:latest',
  },
  consulMode: {
    schema: z.enum(CONSUL_MODES, {
      error: (issue) =>
        `consulMode must be managed (the engine runs Consul) or own (your Consul at consulAddress); got ${shown(issue.input)}.`,
    }),
    default: 'managed' as ConsulMode,
  },
  consulAddress: {
    schema: z
      .string({ error: consulAddressError })
      .max(512, { error: consulAddressError })
      .regex(CONSUL_ADDRESS, { error: consulAddressError }),
    default: '',
  },
  consulToken: {
    schema: z
      .string({ error: tokenError })
      .max(256, { error: tokenError })
      .refine((value) => isMaskedToken(value) || /^[!-~]*$/.test(value), { error: tokenError }),
    default: '',
  },
  consulCaFile: {
    schema: z
      .string({ error: caFileError })
      .max(1024, { error: caFileError })
      .regex(/^[^\0\r\n]*$/, { error: caFileError }),
    default: '',
  },
  stopDemoOnQuit: {
    schema: z.boolean({
      error: (issue) =>
        `stopDemoOnQuit must be true (quitting removes the demo stack) or false (it keeps running); got ${shown(issue.input)}.`,
    }),
    default: false,
  },
  openAtLogin: {
    schema: z.boolean({
      error: (issue) => `openAtLogin must be true or false; got ${shown(issue.input)}.`,
    }),
    default: false,
  },
} as const;

/** The settings the engine is built from: changing one restarts the engine (keeping the stack). */
export const ENGINE_SETTING_NAMES = [
  'dockerHost',
  'lbPort',
  'consulPort',
  'consulImage',
  'lbImage',
  'webImage',
  'consulMode',
  'consulAddress',
  'consulToken',
  'consulCaFile',
] as const satisfies readonly (keyof typeof SETTING_FIELDS)[];

/** The ports a setting publishes on 127.0.0.1, and the free one offered when it is taken. */
export type PortSetting = 'lbPort' | 'consulPort';
export interface PortOffer {
  setting: PortSetting;
  /** The port that is in use. */
  port: number;
  /** The next port found free on 127.0.0.1 (a bounded search), when one was. */
  freePort?: number;
}

export type SettingName = keyof typeof SETTING_FIELDS;

type FieldSchemas = { [K in SettingName]: (typeof SETTING_FIELDS)[K]['schema'] };
const fieldSchemas = Object.fromEntries(
  Object.entries(SETTING_FIELDS).map(([name, field]) => [name, field.schema]),
) as FieldSchemas;

/** The whole settings object, as getSettings answers it and the settings file holds it. */
export const settingsSchema = z.object(fieldSchemas);
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = Object.fromEntries(
  Object.entries(SETTING_FIELDS).map(([name, field]) => [name, field.default]),
) as Settings;

export const SETTING_NAMES = Object.keys(SETTING_FIELDS) as SettingName[];

/** The fields of a settings patch (updateSettings): any of them, each optional. */
export const settingsPatchShape = Object.fromEntries(
  Object.entries(fieldSchemas).map(([name, schema]) => [name, schema.optional()]),
) as { [K in SettingName]: z.ZodOptional<FieldSchemas[K]> };
