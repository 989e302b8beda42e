/**
 * The templates the engine ships (assets/templates), by their contract names. `classic` is the
 * demo's original nginx.ctmpl; `services-localhost` adds a `<service>.localhost` site per service.
 */
import { readFile } from 'node:fs/promises';
import type { BuiltinTemplateName } from '../../contract/index.js';
import { assetPath } from './package-root.js';

/** The file of each built-in; its name is also the template's name in status and errors. */
export const BUILTIN_TEMPLATE_FILES: Record<BuiltinTemplateName, string> = {
  classic: 'nginx.ctmpl',
  'services-localhost': 'services-localhost.ctmpl',
};

export function readBuiltinTemplate(name: BuiltinTemplateName): Promise<string> {
  return readFile(assetPath('templates', BUILTIN_TEMPLATE_FILES[name]), 'utf8');
}

/** A template to start with, already read: its name (for status and errors) and its text. */
export interface StartTemplate {
  name: string;
  source: string;
}
