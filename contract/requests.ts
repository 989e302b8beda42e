/**
 * The one validator of every request, whatever carries it (IPC, HTTP, the CLI before it sends):
 * zod schemas whose messages say what is allowed and what was given. The types of the requests
 * are inferred from them, so a rule and its type cannot drift apart.
 */
import * as z from 'zod';
import { settingsPatchShape } from './settings.js';
import { BUILTIN_TEMPLATE_NAMES } from './templates.js';

// The dashboard's CSP forbids eval: zod must not try to compile its parsers with `new Function`.
z.config({ jitless: true });

/** Limits every side validates against. */
export const LIMITS = {
  // 100: the cost curve's top (bench `curve`); simple-web costs a few MB per replica.
  maxWebInstances: 100,
  traffic: { minRate: 1, maxRate: 200, minSeconds: 1, maxSeconds: 3600 },
  maxTemplateBytes: 64 * 1024,
} as const;

/** The demo's own service, scaled as `web`. */
export const DEMO_SCALE_TARGET = 'web';

/**
 * What `scale` takes: the demo's `web`, or a Compose service as `<project>/<service>`. Project names
 * are Compose's own rule (lowercase letters, digits, `_` and `-`, starting with a letter or digit);
 * service names are the Compose spec's (letters, digits, `.`, `_`, `-`). Each is at most 63 characters.
 */
export const SCALE_TARGET = /^(?:web|([a-z0-9][a-z0-9_-]{0,62})\/([a-zA-Z0-9][a-zA-Z0-9._-]{0,62}))$/;

/** A Compose service named in a scale target, or undefined for the demo's `web` (or no target at all). */
export function composeScaleTarget(target: string): { project: string; service: string } | undefined {
  const match = SCALE_TARGET.exec(target);
  return match?.[1] && match[2] ? { project: match[1], service: match[2] } : undefined;
}

const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** A whole number in [min, max], one message for every way of missing it. */
function wholeNumber(name: string, min: number, max: number): z.ZodNumber {
  const error = (issue: { input?: unknown }): string =>
    `${name} must be a whole number from ${min} to ${max}; got ${shown(issue.input)}.`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

/**
 * An object with exactly these keys; anything else, or no object at all, is named. (The messages
 * leave out the operation: dispatch puts its name in front.)
 */
function request<T extends z.ZodRawShape>(shape: T): z.ZodObject<T, z.core.$strict> {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `does not take ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}.`
        : `needs ${describeShape(shape)}; got ${shown(issue.input)}.`,
  });
}

function describeShape(shape: z.ZodRawShape): string {
  // An optional key is marked: `{service, count, host?}`.
  const keys = Object.entries(shape).map(([key, type]) =>
    z.safeParse(type, undefined).success ? `${key}?` : key,
  );
  return `{${keys.join(', ')}}`;
}

/** For operations that take nothing. */
export const noRequest = z.undefined({ error: (issue) => `takes no arguments; got ${shown(issue.input)}.` });

const scaleTargetError = (issue: { input?: unknown }): string =>
  typeof issue.input === 'string' && issue.input.includes('/')
    ? `A Compose service is named <project>/<service>: the project in lowercase letters, digits, _ and -, the service in letters, digits, ., _ and -, each starting with a letter or digit and at most 63 characters; got ${shown(issue.input)}.`
    : `service must be web (the demo's) or a Compose service as <project>/<service>; got ${shown(issue.input)}.`;

/** A scale's placement: a followed Docker host's name, `local`, or `spread` (several engines). */
export const SCALE_HOST = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const scaleHostError = (issue: { input?: unknown }): string =>
  `host must be a Docker host's name (local, or a followed host's name=) or spread; got ${shown(issue.input)}.`;

export const scaleRequest = request({
  service: z.string({ error: scaleTargetError }).regex(SCALE_TARGET, { error: scaleTargetError }),
  count: wholeNumber('count', 0, LIMITS.maxWebInstances),
  host: z.string({ error: scaleHostError }).regex(SCALE_HOST, { error: scaleHostError }).optional(),
})
  .refine(({ service, host }) => host === undefined || !composeScaleTarget(service), {
    // Compose services keep scaling on the local engine: their replicas are copies of a local container.
    error: (issue) =>
      `${shown((issue.input as { service?: unknown } | undefined)?.service)} is scaled on the local Docker engine only (its new replicas copy a local one): leave out host.`,
    path: ['host'],
  })
  .refine(({ service, count }) => count !== 0 || !composeScaleTarget(service), {
    // New replicas of a Compose service are copies of a running one: with none left, none could come back.
    error: (issue) =>
      `${shown((issue.input as { service?: unknown } | undefined)?.service)} cannot be scaled to 0: the engine makes new replicas of a Compose service by copying a running one, so it keeps at least 1 (to stop them all, use docker compose stop).`,
    path: ['count'],
  });

const rateError = (issue: { input?: unknown }): string =>
  `ratePerSecond must be from ${LIMITS.traffic.minRate} to ${LIMITS.traffic.maxRate} requests per second; got ${shown(issue.input)}.`;

export const trafficRequest = request({
  ratePerSecond: z
    .number({ error: rateError })
    .min(LIMITS.traffic.minRate, { error: rateError })
    .max(LIMITS.traffic.maxRate, { error: rateError }),
  durationSeconds: wholeNumber('durationSeconds', LIMITS.traffic.minSeconds, LIMITS.traffic.maxSeconds),
});

export const timelineRequest = request({
  after: wholeNumber('after', 0, Number.MAX_SAFE_INTEGER),
}).optional();

const encoder = new TextEncoder();

export const templateRequest = request({
  source: z
    .string({ error: (issue) => `source must be the template text; got ${shown(issue.input)}.` })
    .refine((text) => text.trim() !== '', { error: 'The template is empty.' })
    .refine((text) => encoder.encode(text).length <= LIMITS.maxTemplateBytes, {
      error: (issue) =>
        `The template is ${encoder.encode(String(issue.input)).length} bytes; the limit is ${LIMITS.maxTemplateBytes}.`,
    }),
});

export const EXTERNAL_TARGETS = ['lb', 'consul-ui'] as const;

export const externalRequest = request({
  target: z.enum(EXTERNAL_TARGETS, {
    error: (issue) => `target must be "lb" or "consul-ui"; got ${shown(issue.input)}.`,
  }),
});

export type ScaleRequest = z.infer<typeof scaleRequest>;
export type TrafficRequest = z.infer<typeof trafficRequest>;
export type TimelineRequest = z.infer<typeof timelineRequest>;
export type TemplateRequest = z.infer<typeof templateRequest>;
export type ExternalTarget = (typeof EXTERNAL_TARGETS)[number];
export type ExternalRequest = z.infer<typeof externalRequest>;

/** A partial patch of the settings: only the fields given change. */
export const settingsRequest = request(settingsPatchShape);
export type SettingsRequest = z.infer<typeof settingsRequest>;

/** A built-in template by name (`classic` is the reset). */
export const selectTemplateRequest = request({
  name: z.enum(BUILTIN_TEMPLATE_NAMES, {
    error: (issue) =>
      `name must be one of ${BUILTIN_TEMPLATE_NAMES.map((n) => JSON.stringify(n)).join(', ')}; got ${shown(issue.input)}.`,
  }),
});
export type SelectTemplateRequest = z.infer<typeof selectTemplateRequest>;

/** A kept version by its id (as getTemplateHistory lists them; at most the last few are kept). */
export const restoreTemplateRequest = request({
  id: wholeNumber('id', 1, Number.MAX_SAFE_INTEGER),
});
export type RestoreTemplateRequest = z.infer<typeof restoreTemplateRequest>;
