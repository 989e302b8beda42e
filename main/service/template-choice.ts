/**
 * Which template the engine renders, and why: on start the `up --template`/`--template-name` of
 * this run, else the newest kept version, else the classic built-in (in that order); changed while
 * running by an edit, a built-in chosen or a kept version restored, each applied to the running
 * loop first (a template that does not compile changes nothing) and then kept for the next start.
 */
import { basename } from 'node:path';
import {
  BUILTIN_TEMPLATE_NAMES,
  DEFAULT_TEMPLATE,
  type BuiltinTemplateName,
  type LiveTemplateView,
  type TemplateHistoryView,
  type TemplateVersionTextView,
} from '../../contract/index.js';
import {
  BUILTIN_TEMPLATE_FILES,
  readBuiltinTemplate,
  type StartTemplate,
} from '../engine/builtin-templates.js';
import { UserError, errorMessage } from '../engine/errors.js';
import type { TemplateLoop } from '../engine/render/template-loop.js';
import { compileTemplate } from '../engine/template/index.js';
import { TemplateStore, type KeptTemplate, type NewTemplate } from './template-store.js';

/** What a choice needs of the running loop. */
export type RunningTemplate = Pick<TemplateLoop, 'setTemplate' | 'templateSource' | 'status'>;

const DEFAULT_LIVE: LiveTemplateView = {
  origin: 'default',
  kind: 'builtin',
  builtin: DEFAULT_TEMPLATE,
  label: DEFAULT_TEMPLATE,
};

function templateName(template: NewTemplate): string {
  switch (template.kind) {
    case 'builtin':
      return BUILTIN_TEMPLATE_FILES[template.builtin];
    case 'file':
      return basename(template.path);
    case 'edited':
      return 'edited.ctmpl';
  }
}

function asNew(version: KeptTemplate): NewTemplate {
  if (version.kind === 'builtin') return { kind: 'builtin', builtin: version.builtin ?? DEFAULT_TEMPLATE };
  if (version.kind === 'file') return { kind: 'file', source: version.source ?? '', path: version.label };
  return { kind: 'edited', source: version.source ?? '' };
}

async function sourceOf(template: NewTemplate): Promise<string> {
  return template.kind === 'builtin' ? readBuiltinTemplate(template.builtin) : template.source;
}

export class TemplateChoice {
  /** What runs now (or ran last); until a start, what the next start would use. */
  private live: LiveTemplateView | undefined;
  /** Why the kept template could not be used at the last start. */
  private startProblem: string | undefined;

  constructor(readonly store: TemplateStore = new TemplateStore()) {}

  /** The store's problem or the last start's, for status. */
  get warning(): string | undefined {
    return this.startProblem ?? this.store.warning;
  }

  liveView(): LiveTemplateView {
    return this.live ?? this.nextStartView();
  }

  /**
   * Keeps what `up --template FILE` or `--template-name NAME` gave, so that this start and the
   * next use it; a template that does not compile is refused before anything is kept.
   */
  async keepFromFlag(template: NewTemplate): Promise<void> {
    const source = await sourceOf(template);
    compileOrThrow(source, templateName(template));
    await this.store.keep(template, { fromFlag: true });
  }

  /** The template this start uses; undefined for the engine's default (the classic one). */
  async forStart(): Promise<StartTemplate | undefined> {
    await this.store.load();
    this.startProblem = undefined;
    const newest = this.store.newest();
    if (!newest) {
      this.live = DEFAULT_LIVE;
      return undefined;
    }
    const template = asNew(newest);
    const name = templateName(template);
    try {
      const source = await sourceOf(template);
      compileTemplate(source, name);
      this.live = this.viewOf(newest, this.store.origin());
      return { name, source };
    } catch (error) {
      this.startProblem = `The kept template (version ${newest.id}, ${newest.label}) cannot be used (${errorMessage(error)}); the classic template is used. Choose or restore a template to replace it.`;
      this.live = DEFAULT_LIVE;
      return undefined;
    }
  }

  async history(): Promise<TemplateHistoryView> {
    await this.store.load();
    const warning = this.warning;
    return {
      builtins: [...BUILTIN_TEMPLATE_NAMES],
      versions: TemplateStore.views(this.store.list()),
      live: this.liveView(),
      ...(warning ? { warning } : {}),
    };
  }

  /** A dashboard's (or the API's) edit: applied to the running loop, then kept. */
  edited(source: string, running: RunningTemplate): Promise<void> {
    return this.use({ kind: 'edited', source }, running);
  }

  select(name: BuiltinTemplateName, running: RunningTemplate | undefined): Promise<void> {
    return this.use({ kind: 'builtin', builtin: name }, running);
  }

  async restore(id: number, running: RunningTemplate | undefined): Promise<void> {
    return this.use(asNew(await this.kept(id)), running);
  }

  /** A kept version's text, to look at before restoring it. */
  async versionText(id: number): Promise<TemplateVersionTextView> {
    const version = await this.kept(id);
    return { id: version.id, label: version.label, source: await sourceOf(asNew(version)) };
  }

  private async kept(id: number): Promise<KeptTemplate> {
    await this.store.load();
    const version = this.store.find(id);
    if (version) return version;
    const ids = this.store.list().map((v) => v.id);
    throw new UserError(
      `There is no kept template version ${id}${ids.length > 0 ? ` (kept: ${ids.join(', ')})` : ' (none is kept yet)'}. The kept versions are listed by GET /api/template/history.`,
      'bad-request',
    );
  }

  private async use(template: NewTemplate, running: RunningTemplate | undefined): Promise<void> {
    const name = templateName(template);
    const source = await sourceOf(template);
    if (!running) {
      compileOrThrow(source, name);
      await this.store.keep(template);
      // Nothing runs: what is shown is what the next start uses.
      this.live = undefined;
      this.startProblem = undefined;
      return;
    }
    const before = { source: running.templateSource, name: running.status().templateName };
    try {
      running.setTemplate(source, name);
    } catch (error) {
      throw new UserError(`The template was not changed: ${errorMessage(error)}`, 'bad-template');
    }
    let kept: KeptTemplate;
    try {
      kept = await this.store.keep(template);
    } catch (error) {
      // Not kept: the running template goes back too, so what runs is what the next start uses.
      running.setTemplate(before.source, before.name);
      throw error;
    }
    this.startProblem = undefined;
    this.live = this.viewOf(kept, 'kept');
  }

  private nextStartView(): LiveTemplateView {
    const newest = this.store.newest();
    return newest ? this.viewOf(newest, this.store.origin()) : DEFAULT_LIVE;
  }

  private viewOf(version: KeptTemplate, origin: LiveTemplateView['origin']): LiveTemplateView {
    return {
      origin,
      kind: version.kind,
      ...(version.builtin ? { builtin: version.builtin } : {}),
      label: version.label,
    };
  }
}

function compileOrThrow(source: string, name: string): void {
  try {
    compileTemplate(source, name);
  } catch (error) {
    throw new UserError(`The template ${name} has an error: ${errorMessage(error)}`, 'bad-template');
  }
}
