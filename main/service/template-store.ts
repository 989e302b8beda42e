/**
 * The templates kept between runs (the state folder for the app and `discovery-tray up`, memory
 * for tests): the last few versions, newest first; the newest is what the next start uses. Each
 * version is a built-in by name (so a newer app's built-in is picked up) or a custom text. A file
 * that is unreadable, corrupt or from somewhere else costs the versions it spoils plus a warning
 * that says what was wrong, never a crash: the engine then starts with the classic template.
 */
import {
  Emitter,
  KEPT_TEMPLATE_VERSIONS,
  LIMITS,
  isBuiltinTemplateName,
  type BuiltinTemplateName,
  type TemplateKind,
  type TemplateOrigin,
  type TemplateVersionView,
} from '../../contract/index.js';
import { UserError, errorMessage } from '../engine/errors.js';
import { memoryStorage, type SettingsStorage } from './settings-store.js';

/** Where the kept templates' text lives (a file in the state folder, or memory). */
export type TemplateStorage = SettingsStorage;
export { memoryStorage as memoryTemplateStorage };

export interface KeptTemplate {
  id: number;
  savedAt: number;
  kind: TemplateKind;
  /** For people: the built-in's name, the file's path, or "edited". */
  label: string;
  builtin?: BuiltinTemplateName;
  source?: string;
}

/** What a new version is: a built-in, or a text (edited, or read from a file). */
export type NewTemplate =
  | { kind: 'builtin'; builtin: BuiltinTemplateName }
  | { kind: 'edited'; source: string }
  | { kind: 'file'; source: string; path: string };

/** Five templates at the size limit, with JSON's escaping, fit well under this. */
export const MAX_KEPT_TEMPLATES_CHARS = 2 * 1024 * 1024;
const MAX_LABEL_CHARS = 300;
const FORMAT = 1;

function parseVersion(raw: unknown): KeptTemplate | string {
  if (typeof raw !== 'object' || raw === null) return 'an entry is not an object';
  const v = raw as Record<string, unknown>;
  if (!Number.isSafeInteger(v.id) || (v.id as number) < 1) return 'an entry has no valid id';
  if (typeof v.savedAt !== 'number' || !Number.isFinite(v.savedAt))
    return `version ${String(v.id)} has no time`;
  const label = typeof v.label === 'string' ? v.label.slice(0, MAX_LABEL_CHARS) : '';
  const base = { id: v.id as number, savedAt: v.savedAt };
  if (v.kind === 'builtin') {
    if (!isBuiltinTemplateName(v.builtin))
      return `version ${base.id} names a built-in this version does not have (${JSON.stringify(v.builtin)})`;
    return { ...base, kind: 'builtin', builtin: v.builtin, label: v.builtin };
  }
  if (v.kind === 'edited' || v.kind === 'file') {
    if (typeof v.source !== 'string' || v.source.trim() === '')
      return `version ${base.id} has no template text`;
    if (new TextEncoder().encode(v.source).length > LIMITS.maxTemplateBytes)
      return `version ${base.id} is over the ${LIMITS.maxTemplateBytes / 1024} KiB limit`;
    return { ...base, kind: v.kind, label: label || v.kind, source: v.source };
  }
  return `version ${base.id} is of an unknown kind (${JSON.stringify(v.kind)})`;
}

function parseKept(text: string): { versions: KeptTemplate[]; problems: string[] } {
  if (text.length > MAX_KEPT_TEMPLATES_CHARS)
    return { versions: [], problems: [`is over ${MAX_KEPT_TEMPLATES_CHARS / 1024 / 1024} MiB`] };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { versions: [], problems: [`is not JSON (${errorMessage(error)})`] };
  }
  const list = (raw as { versions?: unknown } | null)?.versions;
  if (typeof raw !== 'object' || raw === null || !Array.isArray(list))
    return { versions: [], problems: ['does not hold a list of versions'] };
  const versions: KeptTemplate[] = [];
  const problems: string[] = [];
  for (const entry of list.slice(0, KEPT_TEMPLATE_VERSIONS)) {
    const parsed = parseVersion(entry);
    if (typeof parsed === 'string') problems.push(parsed);
    else if (!versions.some((v) => v.id === parsed.id)) versions.push(parsed);
  }
  return { versions, problems };
}

function sameTemplate(a: KeptTemplate, b: NewTemplate): boolean {
  if (b.kind === 'builtin') return a.builtin === b.builtin;
  return a.source === b.source && a.kind === b.kind && (b.kind !== 'file' || a.label === b.path);
}

export class TemplateStore {
  /** The kept versions changed (a save, or the first load). */
  readonly changed = new Emitter<void>();
  private versions: KeptTemplate[] = [];
  private problem: string | undefined;
  private loading: Promise<void> | undefined;
  private saving: Promise<unknown> = Promise.resolve();
  /** The newest version came from this run's `up --template`/`--template-name`. */
  private fromFlag = false;

  constructor(private readonly storage: TemplateStorage = memoryStorage()) {}

  get location(): string {
    return this.storage.location;
  }

  /** What was wrong with the kept templates, until a save rewrites the file. */
  get warning(): string | undefined {
    return this.problem;
  }

  /** Read from storage the first time; never rejects (a problem becomes `warning`). */
  load(): Promise<void> {
    this.loading ??= this.read();
    return this.loading;
  }

  /** Newest first. */
  list(): KeptTemplate[] {
    return this.versions.map((v) => ({ ...v }));
  }

  newest(): KeptTemplate | undefined {
    return this.versions[0];
  }

  find(id: number): KeptTemplate | undefined {
    return this.versions.find((v) => v.id === id);
  }

  /** Where the newest version came from, for status. */
  origin(): TemplateOrigin {
    if (!this.versions[0]) return 'default';
    return this.fromFlag ? 'flag' : 'kept';
  }

  /**
   * Keeps a new newest version (the oldest beyond the limit goes); the same template as the
   * newest is not kept twice. When saving fails nothing changes and the error says what to do.
   */
  keep(template: NewTemplate, options: { fromFlag?: boolean } = {}): Promise<KeptTemplate> {
    const run = this.saving.then(() => this.add(template, options.fromFlag ?? false));
    this.saving = run.catch(() => undefined);
    return run;
  }

  static views(versions: readonly KeptTemplate[]): TemplateVersionView[] {
    return versions.map((v) => ({
      id: v.id,
      savedAt: v.savedAt,
      kind: v.kind,
      label: v.label,
      ...(v.builtin ? { builtin: v.builtin } : {}),
      ...(v.source !== undefined ? { bytes: new TextEncoder().encode(v.source).length } : {}),
    }));
  }

  private async read(): Promise<void> {
    let text: string | undefined;
    try {
      text = await this.storage.read();
    } catch (error) {
      this.problem = `The kept templates in ${this.storage.location} cannot be read (${errorMessage(error)}); the classic template is used.`;
      this.changed.emit();
      return;
    }
    if (text === undefined) return;
    const parsed = parseKept(text);
    this.versions = parsed.versions;
    if (parsed.problems.length > 0)
      this.problem = `The kept templates file ${this.storage.location} ${parsed.problems.join('; ')}: ${
        parsed.versions.length > 0
          ? 'the versions that were wrong are left out'
          : 'the classic template is used'
      }. Choosing a template again rewrites the file.`;
    this.changed.emit();
  }

  private async add(template: NewTemplate, fromFlag: boolean): Promise<KeptTemplate> {
    await this.load();
    const newest = this.versions[0];
    if (newest && sameTemplate(newest, template) && this.problem === undefined) {
      this.fromFlag = fromFlag;
      return { ...newest };
    }
    const version: KeptTemplate = {
      id: Math.max(0, ...this.versions.map((v) => v.id)) + 1,
      savedAt: Date.now(),
      kind: template.kind,
      ...(template.kind === 'builtin'
        ? { builtin: template.builtin, label: template.builtin }
        : {
            source: template.source,
            label: template.kind === 'file' ? template.path.slice(0, MAX_LABEL_CHARS) : 'edited',
          }),
    };
    const next = [version, ...this.versions].slice(0, KEPT_TEMPLATE_VERSIONS);
    try {
      await this.storage.write(`${JSON.stringify({ format: FORMAT, versions: next }, null, 2)}\n`);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(
        `Cannot keep the template in ${this.storage.location} (${errorMessage(error)}). Make the folder writable or set DISCOVERY_TRAY_STATE_DIR; nothing was changed.`,
        'state-unwritable',
      );
    }
    this.versions = next;
    this.problem = undefined;
    this.fromFlag = fromFlag;
    this.changed.emit();
    return { ...version };
  }
}
