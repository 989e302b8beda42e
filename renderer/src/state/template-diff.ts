/**
 * A kept template version against the live one, line by line (jsdiff's diffLines), for the
 * picker's preview: what restoring that version would add and take away.
 */
import { diffLines } from 'diff';

export type DiffLineKind = 'same' | 'added' | 'removed';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

/** The lines of `version` against `live`: `added` only in the version, `removed` only in the live one. */
export function templateDiff(live: string, version: string): DiffLine[] {
  const lines: DiffLine[] = [];
  for (const part of diffLines(live, version)) {
    const kind: DiffLineKind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    const text = part.value.endsWith('\n') ? part.value.slice(0, -1) : part.value;
    for (const line of text.split('\n')) lines.push({ kind, text: line });
  }
  return lines;
}
