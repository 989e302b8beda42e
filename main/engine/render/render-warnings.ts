/**
 * A template's own warnings: consul-template has no function to warn with, so a template writes
 * an nginx comment line `# discovery-tray warning: <text>` (harmless to nginx and to a real
 * consul-template) and the engine shows each such line as a warning (timeline, status). The
 * services-localhost template names a service it skips this way.
 */

export const WARNING_PREFIX = '# discovery-tray warning:';

/** At most this many warnings a render, each at most this long: a template cannot flood the timeline. */
const MAX_WARNINGS = 20;
const MAX_WARNING_CHARS = 400;

/** The warning lines of a rendered config, in order, without duplicates. */
export function renderWarnings(output: string): string[] {
  const found = new Set<string>();
  for (const line of output.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith(WARNING_PREFIX)) continue;
    const text = trimmed.slice(WARNING_PREFIX.length).trim();
    if (text === '') continue;
    found.add(text.length > MAX_WARNING_CHARS ? `${text.slice(0, MAX_WARNING_CHARS)}…` : text);
    if (found.size >= MAX_WARNINGS) break;
  }
  return [...found];
}
