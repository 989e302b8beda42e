/**
 * The engine host's settings (contract/settings.ts), kept where the host says (the state folder
 * for the app and `discovery-tray up`, memory for tests): validated field by field on the way in,
 * so a bad or unreadable file costs the defaults plus a warning that says what was wrong, never
 * a crash; fields this version does not know (from a newer one) are written back untouched.
 */
import {
  DEFAULT_SETTINGS,
  Emitter,
  SETTING_FIELDS,
  SETTING_NAMES,
  isMaskedToken,
  maskToken,
  type Settings,
  type SettingsRequest,
} from '../../contract/index.js';
import { UserError, errorMessage } from '../engine/errors.js';

/** Where the settings text lives; the store does the parsing and the rules. */
export interface SettingsStorage {
  /** Where they are, for messages (a file's path). */
  readonly location: string;
  /** The saved text; undefined when nothing was saved yet. Throws when it cannot be read. */
  read(): Promise<string | undefined>;
  /** Replaces the saved text (atomically, for a file). */
  write(text: string): Promise<void>;
}

/** Settings that live as long as the process (tests, hosts without a state folder). */
export function memoryStorage(text?: string): SettingsStorage & { text: string | undefined } {
  return {
    location: 'memory',
    text,
    read() {
      return Promise.resolve(this.text);
    },
    write(next: string) {
      this.text = next;
      return Promise.resolve();
    },
  };
}

/** A file larger than this is not the settings (they are a few hundred bytes). */
export const MAX_SETTINGS_CHARS = 64 * 1024;

interface Parsed {
  settings: Settings;
  unknown: Record<string, unknown>;
  problems: string[];
}

function parseSettings(text: string): Parsed {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  if (text.length > MAX_SETTINGS_CHARS)
    return { settings, unknown: {}, problems: [`is over ${MAX_SETTINGS_CHARS / 1024} KiB`] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { settings, unknown: {}, problems: [`is not JSON (${errorMessage(error)})`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { settings, unknown: {}, problems: ['does not hold an object of settings'] };
  const fields = raw as Record<string, unknown>;
  const problems: string[] = [];
  const unknown: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields))
    if (!(SETTING_NAMES as string[]).includes(name)) unknown[name] = value;
  for (const name of SETTING_NAMES) {
    if (!Object.hasOwn(fields, name)) continue;
    const parsed = SETTING_FIELDS[name].schema.safeParse(fields[name]);
    if (parsed.success) (settings as Record<string, unknown>)[name] = parsed.data;
    else problems.push(parsed.error.issues.map((issue) => issue.message).join(' '));
  }
  const inconsistent = inconsistency(settings);
  if (inconsistent) {
    problems.push(inconsistent);
    settings.consulMode = DEFAULT_SETTINGS.consulMode;
  }
  if (isMaskedToken(settings.consulToken)) settings.consulToken = '';
  return { settings, unknown, problems };
}

/** What is wrong across fields (each field alone was valid), or undefined. */
function inconsistency(settings: Settings): string | undefined {
  if (settings.consulMode === 'own' && settings.consulAddress === '')
    return 'consulMode is own but consulAddress is empty: give the addresses of your Consul (HOST:PORT or http(s)://HOST:PORT, comma-separated), or choose managed.';
  return undefined;
}

export class SettingsStore {
  /** The settings changed (a patch was saved). */
  readonly changed = new Emitter<Settings>();
  private current: Settings = { ...DEFAULT_SETTINGS };
  private unknown: Record<string, unknown> = {};
  private problem: string | undefined;
  private loading: Promise<unknown> | undefined;
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly storage: SettingsStorage = memoryStorage()) {}

  /** What was wrong with the saved settings (the defaults are used instead), until a save fixes it. */
  get warning(): string | undefined {
    return this.problem;
  }

  /** The settings now (the defaults until load() has read them), the ACL token masked: what front ends see. */
  get(): Settings {
    return { ...this.current, consulToken: maskToken(this.current.consulToken) };
  }

  /** The settings with the ACL token in full: for building the engine only, never for a front end. */
  withSecrets(): Settings {
    return { ...this.current };
  }

  /** The settings (token masked), read from storage the first time; never rejects (a problem becomes `warning`). */
  async load(): Promise<Settings> {
    this.loading ??= this.read();
    await this.loading;
    return this.get();
  }

  /** Applies a validated patch and saves it; when saving fails nothing changes and the error says what to do. */
  update(patch: SettingsRequest): Promise<Settings> {
    const run = this.saving.then(() => this.apply(patch));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<Settings> {
    let text: string | undefined;
    try {
      text = await this.storage.read();
    } catch (error) {
      this.problem = `The settings in ${this.storage.location} cannot be read (${errorMessage(error)}); the defaults are used.`;
      this.changed.emit(this.get());
      return this.get();
    }
    if (text === undefined) return this.get();
    const parsed = parseSettings(text);
    this.current = parsed.settings;
    this.unknown = parsed.unknown;
    if (parsed.problems.length > 0) {
      this.problem = `The settings file ${this.storage.location} ${parsed.problems.join('; ')}: the defaults are used for what was wrong. Choosing a setting again rewrites the file.`;
    }
    this.changed.emit(this.get());
    return this.get();
  }

  private async apply(patch: SettingsRequest): Promise<Settings> {
    await this.load();
    const next: Settings = { ...this.current };
    for (const name of SETTING_NAMES)
      if (patch[name] !== undefined) (next as Record<string, unknown>)[name] = patch[name];
    // A form sends back the masked token it was shown: that keeps the saved one.
    if (isMaskedToken(next.consulToken)) next.consulToken = this.current.consulToken;
    const inconsistent = inconsistency(next);
    if (inconsistent)
      throw new UserError(`updateSettings: ${inconsistent} Nothing was changed.`, 'bad-request');
    const same = SETTING_NAMES.every((name) => next[name] === this.current[name]);
    if (same && this.problem === undefined) return this.get();
    try {
      await this.storage.write(`${JSON.stringify({ ...this.unknown, ...next }, null, 2)}\n`);
    } catch (error) {
      // A folder others can write is refused with its own advice; anything else is "cannot write".
      if (error instanceof UserError) throw error;
      throw new UserError(
        `Cannot save the settings to ${this.storage.location} (${errorMessage(error)}). Make the folder writable or set DISCOVERY_TRAY_STATE_DIR; nothing was changed.`,
        'state-unwritable',
      );
    }
    this.current = next;
    this.problem = undefined;
    this.changed.emit(this.get());
    return this.get();
  }
}
