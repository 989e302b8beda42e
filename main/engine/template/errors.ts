/**
 * Errors carry the template name and a 1-based line and column so that an editor
 * (or a human) can jump to the offending token. Columns count Unicode code
 * points, not bytes as Go does, because that is what editors show.
 */

export interface SourcePosition {
  line: number;
  column: number;
}

export function positionAt(source: string, offset: number): SourcePosition {
  const end = Math.min(Math.max(offset, 0), source.length);
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < end; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const unit = source.charCodeAt(i);
    const isLowSurrogate = unit >= 0xdc00 && unit <= 0xdfff;
    const previous = i > lineStart ? source.charCodeAt(i - 1) : 0;
    if (isLowSurrogate && previous >= 0xd800 && previous <= 0xdbff) continue;
    column++;
  }
  return { line, column };
}

/** The template cannot be compiled; `detail` is the message without the location prefix. */
export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError';
  readonly line: number;
  readonly column: number;
  constructor(
    readonly templateName: string,
    position: SourcePosition,
    readonly detail: string,
  ) {
    super(`${templateName}:${position.line}:${position.column}: ${detail}`);
    this.line = position.line;
    this.column = position.column;
  }
}

/** Rendering stopped; the message names the action, as Go's "executing ... at <...>" does. */
export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
  readonly line: number;
  readonly column: number;
  constructor(
    readonly templateName: string,
    position: SourcePosition,
    readonly detail: string,
    /** The source text of the node being executed, shortened. */
    readonly context: string,
  ) {
    super(
      `${templateName}:${position.line}:${position.column}: executing "${templateName}" at <${context}>: ${detail}`,
    );
    this.line = position.line;
    this.column = position.column;
  }
}
