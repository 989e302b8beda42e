/**
 * Which environment variables `env` may read in a template. The engine's
 * environment holds secrets (DISCOVERY_TRAY_CONSUL_TOKEN, a cloud key), and a
 * template's output is shown in status, on the dashboard and in the LB
 * container. As consul-template's exec env does (allowlist, denylist that
 * wins), names that look like secrets are never readable, and
 * DISCOVERY_TRAY_TEMPLATE_ENV (comma-separated names, `*` as a wildcard)
 * narrows what is readable to those names.
 */

/** The variable that lists what a template may read; unset: every name that is not denied. */
export const TEMPLATE_ENV_ALLOWLIST = 'DISCOVERY_TRAY_TEMPLATE_ENV';

/** Never readable, whatever the allowlist says: the engine's own settings and anything secret-like. */
const DENIED = [
  /^DISCOVERY_TRAY_/i,
  /TOKEN/i,
  /SECRET/i,
  /PASS(WORD|WD|PHRASE)?($|_)/i,
  /CREDENTIAL/i,
  /PRIVATE/i,
  /(^|_)(API|ACCESS|SECRET|SIGNING|ENCRYPTION|PRIVATE)_?KEY/i,
  /(^|_)KEY$/i,
  /AUTH/i,
  /COOKIE/i,
  /SESSION/i,
  /CERT/i,
];

export function isDeniedEnvName(name: string): boolean {
  return DENIED.some((pattern) => pattern.test(name));
}

function globToPattern(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`);
}

/** The allowlist, or undefined when every name that is not denied may be read. */
export function parseAllowlist(text: string | undefined): RegExp[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
    .map(globToPattern);
}

export function isReadableEnvName(name: string, allowlist: RegExp[] | undefined): boolean {
  if (isDeniedEnvName(name)) return false;
  return allowlist === undefined || allowlist.some((pattern) => pattern.test(name));
}

/** The variables of `env` a template may read. */
export function templateEnv(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const allowlist = parseAllowlist(env[TEMPLATE_ENV_ALLOWLIST]);
  const readable = new Map<string, string>();
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && isReadableEnvName(name, allowlist)) readable.set(name, value);
  return readable;
}
