/** Compiling and rendering: the entry points behind the public API. */
import { Evaluator } from './evaluator.js';
import { isFunction } from './functions.js';
import { parseTemplate, type ParsedTemplate } from './parser.js';
import {
  DEFAULT_RENDER_LIMITS,
  type CompiledTemplate,
  type RenderLimits,
  type RenderOptions,
  type RenderResult,
  type TemplateDataSource,
} from './types.js';

// The parse tree stays private so that CompiledTemplate remains plain, serialisable data.
const trees = new WeakMap<CompiledTemplate, ParsedTemplate>();

/** Parses a template; throws TemplateSyntaxError (with name:line:col) when it is not valid. */
export function compileTemplate(source: string, name = 'template'): CompiledTemplate {
  const tree = parseTemplate(source, name, isFunction);
  const compiled: CompiledTemplate = Object.freeze({ name, source });
  trees.set(compiled, tree);
  return compiled;
}

function resolveLimits(limits: Partial<RenderLimits>): RenderLimits {
  const resolved = { ...DEFAULT_RENDER_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || Number.isNaN(value) || value < 0)
      throw new RangeError(`render limit ${name} must be a non-negative number, not ${String(value)}`);
  }
  return resolved;
}

/**
 * Renders with data from `data`, recording what the template asked for.
 * Throws TemplateRenderError for errors in the template's logic and for
 * exceeded limits. A CompiledTemplate built by hand is compiled on first use.
 */
export function renderTemplate(
  template: CompiledTemplate,
  data: TemplateDataSource,
  limits: Partial<RenderLimits> = {},
  options: RenderOptions = {},
): RenderResult {
  let tree = trees.get(template);
  if (!tree) {
    tree = parseTemplate(template.source, template.name, isFunction);
    trees.set(template, tree);
  }
  const evaluator = new Evaluator({
    name: template.name,
    source: template.source,
    templates: tree.templates,
    data,
    limits: resolveLimits(limits),
    options,
  });
  return evaluator.run(tree.root);
}
