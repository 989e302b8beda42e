/**
 * Reading SERVICE_* settings from a container the way registrator does:
 * env vars first, then labels (so labels win), and for a given port the
 * SERVICE_<port>_<KEY> form wins over the generic SERVICE_<KEY>.
 */
import { QUOTED_VALUE_MAX_CHARS, clipText, quoteValue } from '../text-limits.js';

export interface MetadataValue {
  value: string;
  /** Where the winning value came from, for warnings the user can act on. */
  source: string;
}

export interface PortMetadata {
  values: Map<string, MetadataValue>;
  /** Keys whose value came from SERVICE_<port>_<KEY>. */
  fromPort: Set<string>;
  /** Each overridden setting, as "winner over loser", for conflict warnings. */
  overrides: { key: string; winner: MetadataValue; loser: MetadataValue }[];
}

interface RawSetting {
  name: string;
  value: string;
  origin: 'env' | 'label';
}

function rawSettings(env: readonly string[], labels: Readonly<Record<string, string>>): RawSetting[] {
  const settings: RawSetting[] = [];
  for (const entry of env) {
    const eq = entry.indexOf('=');
    if (eq > 0) settings.push({ name: entry.slice(0, eq), value: entry.slice(eq + 1), origin: 'env' });
  }
  // Labels come after env, so that a label overrides an env var (registrator appends them).
  for (const [name, value] of Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))) {
    settings.push({ name, value, origin: 'label' });
  }
  return settings;
}

/** Names a setting for a warning; a long value is quoted only in part. */
function describe(setting: RawSetting): string {
  return `${setting.origin === 'env' ? 'env' : 'label'} ${clipText(setting.name, QUOTED_VALUE_MAX_CHARS)}=${quoteValue(setting.value)}`;
}

export function readPortMetadata(
  env: readonly string[],
  labels: Readonly<Record<string, string>>,
  port: string,
): PortMetadata {
  const values = new Map<string, MetadataValue>();
  const fromPort = new Set<string>();
  const overrides: PortMetadata['overrides'] = [];

  const set = (key: string, setting: RawSetting, portSpecific: boolean): void => {
    const incoming = { value: setting.value, source: describe(setting) };
    const existing = values.get(key);
    if (existing && existing.value !== incoming.value) {
      overrides.push({ key, winner: incoming, loser: existing });
    }
    values.set(key, incoming);
    if (portSpecific) fromPort.add(key);
  };

  for (const setting of rawSettings(env, labels)) {
    if (!setting.name.startsWith('SERVICE_')) continue;
    const key = setting.name.slice('SERVICE_'.length).toLowerCase();
    if (key === '') continue;
    const underscore = key.indexOf('_');
    const head = underscore > 0 ? key.slice(0, underscore) : key;
    if (/^\d+$/.test(head) && underscore > 0) {
      if (head !== port) continue;
      set(key.slice(underscore + 1), setting, true);
    } else {
      const existing = values.get(key);
      if (fromPort.has(key)) {
        // A port-specific value is already set: the generic one loses, whatever the order.
        if (existing && existing.value !== setting.value) {
          overrides.push({
            key,
            winner: existing,
            loser: { value: setting.value, source: describe(setting) },
          });
        }
        continue;
      }
      set(key, setting, false);
    }
  }
  return { values, fromPort, overrides };
}
