/**
 * The templates the engine ships, by name, and what a kept template is: shared by the request
 * validators, the views, the dashboard's picker, the tray's submenu and the CLI.
 */

/** The built-in templates; `classic` is the default and what "reset" goes back to. */
export const BUILTIN_TEMPLATE_NAMES = ['classic', 'services-localhost'] as const;
export type BuiltinTemplateName = (typeof BUILTIN_TEMPLATE_NAMES)[number];
export const DEFAULT_TEMPLATE: BuiltinTemplateName = 'classic';

export function isBuiltinTemplateName(name: unknown): name is BuiltinTemplateName {
  return typeof name === 'string' && (BUILTIN_TEMPLATE_NAMES as readonly string[]).includes(name);
}

/** How many versions the state folder keeps to go back to. */
export const KEPT_TEMPLATE_VERSIONS = 5;

/**
 * Where the live template came from: `flag` the `up --template`/`--template-name` of this run,
 * `kept` the state folder (the last one chosen or edited), `default` the classic built-in.
 */
export type TemplateOrigin = 'flag' | 'kept' | 'default';

/** What a kept version is: a built-in by name, a text edited in a dashboard (or sent to the API), or a file given to `up --template`. */
export type TemplateKind = 'builtin' | 'edited' | 'file';
