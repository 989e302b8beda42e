/**
 * The parser of Go's text/template (text/template/parse/parse.go): same
 * grammar, same checks at compile time (unknown functions, undefined
 * variables, misplaced {{else}}/{{end}}/{{break}}, non-executable pipeline
 * stages), with error positions pointing at the offending token. Where Go
 * only reports "unexpected EOF", the error points at the unclosed block.
 */
import type {
  ArgNode,
  CommandNode,
  ListNode,
  Node,
  PipeNode,
  TemplateNode,
  VariableNode,
  BranchNode,
} from './ast.js';
import { nodeString } from './ast.js';
import { goQuote } from './escape.js';
import { TemplateSyntaxError, positionAt } from './errors.js';
import { Lexer, type Token, type TokenKind } from './lexer.js';
import { LiteralError, parseNumber, unquoteChar, unquoteString } from './literals.js';

export interface ParsedTemplate {
  root: ListNode;
  /** Templates from {{define}} and {{block}}, and the main one under its own name. */
  templates: ReadonlyMap<string, ListNode>;
}

/**
 * Real templates nest a handful of levels; far deeper nesting would exhaust
 * the JavaScript stack when parsing or executing, so it is refused up front
 * (Go allows 10000, with a much larger stack).
 */
export const MAX_NESTING = 200;

interface EndMarker {
  type: 'end';
  pos: number;
}

interface ElseMarker {
  type: 'else';
  pos: number;
}

const OPERAND_START: ReadonlySet<TokenKind> = new Set([
  'bool',
  'charConstant',
  'dot',
  'field',
  'identifier',
  'number',
  'nil',
  'rawString',
  'string',
  'variable',
  'leftParen',
]);

/** Go's item.String(), for "unexpected X in Y" messages. */
function tokenString(token: Token): string {
  if (token.kind === 'eof') return 'EOF';
  if (token.kind === 'keyword') return `<${token.value}>`;
  if (token.value.length > 10) return `${goQuote(token.value.slice(0, 10)).slice(0, -1)}..."`;
  return goQuote(token.value);
}

class Parser {
  private index = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private nesting = 0;
  private readonly lexer: Lexer;
  private readonly templates = new Map<string, ListNode>();
  private readonly templateCalls: TemplateNode[] = [];

  constructor(
    private readonly source: string,
    private readonly name: string,
    private readonly isFunction: (name: string) => boolean,
  ) {
    this.lexer = new Lexer(source, name);
  }

  parse(): ParsedTemplate {
    const root: ListNode = { type: 'list', pos: 0, nodes: [] };
    while (this.peek().kind !== 'eof') {
      if (this.peek().kind === 'leftDelim') {
        const mark = this.index;
        const delim = this.next();
        const keyword = this.nextNonSpace();
        if (keyword.kind === 'keyword' && keyword.value === 'define') {
          this.parseDefinition(delim, keyword);
          continue;
        }
        this.index = mark;
      }
      const node = this.textOrAction();
      if (node.type === 'end' || node.type === 'else') this.fail(node.pos, `unexpected {{${node.type}}}`);
      root.nodes.push(node);
    }
    if (!this.templates.has(this.name) || this.templates.get(this.name)?.nodes.length === 0)
      this.templates.set(this.name, root);
    for (const call of this.templateCalls) {
      if (!this.templates.has(call.name)) this.fail(call.pos, `no such template ${goQuote(call.name)}`);
    }
    return { root, templates: this.templates };
  }

  private fail(pos: number, message: string): never {
    throw new TemplateSyntaxError(this.name, positionAt(this.source, pos), message);
  }

  private unexpected(token: Token, context: string): never {
    this.fail(token.pos, `unexpected ${tokenString(token)} in ${context}`);
  }

  private peek(): Token {
    return this.lexer.token(this.index);
  }

  private next(): Token {
    return this.lexer.token(this.index++);
  }

  private backup(): void {
    this.index--;
  }

  private nextNonSpace(): Token {
    let token: Token;
    do token = this.next();
    while (token.kind === 'space');
    return token;
  }

  private peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  private expect(kind: TokenKind, context: string): Token {
    const token = this.nextNonSpace();
    if (token.kind !== kind) this.unexpected(token, context);
    return token;
  }

  private enter(pos: number): void {
    if (++this.nesting > MAX_NESTING)
      this.fail(pos, `template is nested too deeply (more than ${MAX_NESTING} levels)`);
  }

  private addTemplate(name: string, list: ListNode, pos: number): void {
    const existing = this.templates.get(name);
    if (existing && existing.nodes.length > 0 && list.nodes.length > 0)
      this.fail(pos, `multiple definition of template ${goQuote(name)}`);
    if (!existing || list.nodes.length > 0) this.templates.set(name, list);
  }

  private templateName(token: Token, context: string): string {
    if (token.kind !== 'string' && token.kind !== 'rawString') this.unexpected(token, context);
    return this.unquote(token);
  }

  /** {{define "name"}} ... {{end}}: its own variable scope, with only $. */
  private parseDefinition(delim: Token, keyword: Token): void {
    const context = 'define clause';
    const name = this.templateName(this.nextNonSpace(), context);
    this.expect('rightDelim', context);
    const savedVars = this.vars;
    this.vars = ['$'];
    const { list, end } = this.itemList(keyword);
    this.vars = savedVars;
    if (end.type !== 'end') this.fail(end.pos, `unexpected {{else}} in ${context}`);
    this.addTemplate(name, list, delim.pos);
  }

  /** Nodes up to the {{end}} or {{else}} that closes the block opened by `opener`. */
  private itemList(opener: Token): { list: ListNode; end: EndMarker | ElseMarker } {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().kind !== 'eof') {
      const node = this.textOrAction();
      if (node.type === 'end' || node.type === 'else') return { list, end: node };
      list.nodes.push(node);
    }
    this.fail(opener.pos, `unexpected EOF: {{${opener.value}}} has no matching {{end}}`);
  }

  private textOrAction(): Node | EndMarker | ElseMarker {
    const token = this.nextNonSpace();
    if (token.kind === 'text') return { type: 'text', pos: token.pos, text: token.value };
    if (token.kind === 'leftDelim') return this.action();
    this.unexpected(token, 'input');
  }

  private action(): Node | EndMarker | ElseMarker {
    const token = this.nextNonSpace();
    if (token.kind === 'keyword') {
      switch (token.value) {
        case 'block':
          return this.blockControl(token);
        case 'break':
        case 'continue':
          return this.loopControl(token);
        case 'else':
          return this.elseControl(token);
        case 'end':
          this.expect('rightDelim', 'end');
          return { type: 'end', pos: token.pos };
        case 'if':
          return this.branch('if', token);
        case 'range':
          return this.branch('range', token);
        case 'with':
          return this.branch('with', token);
        case 'template':
          return this.templateControl(token);
        case 'define':
          this.fail(token.pos, '{{define}} is only allowed at the top level');
      }
    }
    this.backup();
    return { type: 'action', pos: token.pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  private loopControl(token: Token): Node {
    if (this.rangeDepth === 0) this.fail(token.pos, `{{${token.value}}} outside {{range}}`);
    this.expect('rightDelim', token.value);
    return { type: token.value === 'break' ? 'break' : 'continue', pos: token.pos };
  }

  private elseControl(token: Token): ElseMarker {
    const peek = this.peekNonSpace();
    // "{{else if ...}}" and "{{else with ...}}" open a nested block that shares the outer {{end}}.
    if (peek.kind === 'keyword' && (peek.value === 'if' || peek.value === 'with'))
      return { type: 'else', pos: token.pos };
    this.expect('rightDelim', 'else');
    return { type: 'else', pos: token.pos };
  }

  private branch<T extends 'if' | 'range' | 'with'>(type: T, keyword: Token): BranchNode<T> {
    this.enter(keyword.pos);
    const varsMark = this.vars.length;
    const pipe = this.pipeline(type, 'rightDelim');
    if (type === 'range') this.rangeDepth++;
    const { list, end } = this.itemList(keyword);
    if (type === 'range') this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (end.type === 'else') {
      const peek = this.peekNonSpace();
      if (peek.kind === 'keyword' && (peek.value === 'if' || peek.value === 'with')) {
        if (peek.value !== type) this.fail(peek.pos, `{{else ${peek.value}}} is not allowed in {{${type}}}`);
        const chained = this.next();
        elseList = {
          type: 'list',
          pos: end.pos,
          nodes: [this.branch(peek.value === 'if' ? 'if' : 'with', chained)],
        };
      } else {
        const rest = this.itemList(keyword);
        if (rest.end.type !== 'end') this.fail(rest.end.pos, 'expected {{end}}; found {{else}}');
        elseList = rest.list;
      }
    }
    this.vars.length = varsMark;
    this.nesting--;
    return { type, pos: keyword.pos, pipe, list, elseList };
  }

  private templateControl(keyword: Token): TemplateNode {
    const context = 'template clause';
    const name = this.templateName(this.nextNonSpace(), context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().kind !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    const node: TemplateNode = { type: 'template', pos: keyword.pos, name, pipe };
    this.templateCalls.push(node);
    return node;
  }

  /** {{block "name" pipeline}} T {{end}} defines "name" as T and executes it in place. */
  private blockControl(keyword: Token): TemplateNode {
    const context = 'block clause';
    const name = this.templateName(this.nextNonSpace(), context);
    const pipe = this.pipeline(context, 'rightDelim');
    const savedVars = this.vars;
    const savedRangeDepth = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const { list, end } = this.itemList(keyword);
    this.vars = savedVars;
    this.rangeDepth = savedRangeDepth;
    if (end.type !== 'end') this.fail(end.pos, `unexpected {{else}} in ${context}`);
    this.addTemplate(name, list, keyword.pos);
    const node: TemplateNode = { type: 'template', pos: keyword.pos, name, pipe };
    this.templateCalls.push(node);
    return node;
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const pipe: PipeNode = {
      type: 'pipe',
      pos: this.peekNonSpace().pos,
      decl: [],
      isAssign: false,
      cmds: [],
    };
    for (;;) {
      const variable = this.peekNonSpace();
      if (variable.kind !== 'variable') break;
      const mark = this.index;
      this.next();
      const after = this.peekNonSpace();
      if (after.kind === 'declare' || after.kind === 'assign') {
        this.nextNonSpace();
        pipe.isAssign = after.kind === 'assign';
        if (pipe.isAssign && !this.vars.includes(variable.value))
          this.fail(variable.pos, `undefined variable ${goQuote(variable.value)}`);
        pipe.decl.push(this.newVariable(variable));
        this.vars.push(variable.value);
        break;
      }
      if (after.kind === 'char' && after.value === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(variable));
        this.vars.push(variable.value);
        if (context === 'range' && pipe.decl.length < 2) {
          const following = this.peekNonSpace();
          if (
            following.kind === 'variable' ||
            following.kind === 'rightDelim' ||
            following.kind === 'rightParen'
          )
            continue;
          this.fail(following.pos, 'range can only initialize variables');
        }
        this.fail(after.pos, `too many declarations in ${context}`);
      }
      this.index = mark;
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.kind === end) {
        this.checkPipeline(pipe, context, token);
        return pipe;
      }
      if (!OPERAND_START.has(token.kind)) this.unexpected(token, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  private checkPipeline(pipe: PipeNode, context: string, end: Token): void {
    if (pipe.cmds.length === 0) this.fail(end.pos, `missing value for ${context}`);
    pipe.cmds.slice(1).forEach((cmd, i) => {
      const first = cmd.args[0];
      if (first && ['bool', 'dot', 'nil', 'number', 'string'].includes(first.type))
        this.fail(first.pos, `non executable command in pipeline stage ${i + 2}`);
    });
  }

  private command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.kind === 'space') continue;
      if (token.kind === 'rightDelim' || token.kind === 'rightParen') this.backup();
      else if (token.kind !== 'pipe') this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.fail(cmd.pos, 'empty command');
    return cmd;
  }

  private operand(): ArgNode | null {
    const node = this.term();
    if (!node || this.peek().kind !== 'field') return node;
    const fields: string[] = [];
    while (this.peek().kind === 'field') fields.push(this.next().value.slice(1));
    switch (node.type) {
      case 'field':
      case 'variable':
        return { ...node, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.fail(node.pos, `unexpected . after term ${goQuote(nodeString(node))}`);
        break;
      default:
        return { type: 'chain', pos: node.pos, node, fields };
    }
  }

  private term(): ArgNode | null {
    const token = this.nextNonSpace();
    switch (token.kind) {
      case 'identifier':
        if (!this.isFunction(token.value))
          this.fail(token.pos, `function ${goQuote(token.value)} not defined`);
        return { type: 'identifier', pos: token.pos, name: token.value };
      case 'dot':
        return { type: 'dot', pos: token.pos };
      case 'nil':
        return { type: 'nil', pos: token.pos };
      case 'variable': {
        const variable = this.newVariable(token);
        if (!this.vars.includes(token.value))
          this.fail(token.pos, `undefined variable ${goQuote(token.value)}`);
        return variable;
      }
      case 'field':
        return { type: 'field', pos: token.pos, ident: [token.value.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: token.pos, value: token.value === 'true' };
      case 'number':
      case 'charConstant':
        return this.number(token);
      case 'leftParen': {
        this.enter(token.pos);
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        this.nesting--;
        return pipe;
      }
      case 'string':
      case 'rawString':
        return { type: 'string', pos: token.pos, quoted: token.value, text: this.unquote(token) };
      default:
        this.backup();
        return null;
    }
  }

  private newVariable(token: Token): VariableNode {
    return { type: 'variable', pos: token.pos, ident: [token.value] };
  }

  private unquote(token: Token): string {
    try {
      return unquoteString(token.value);
    } catch (error) {
      if (error instanceof LiteralError) this.fail(token.pos + error.offset, error.message);
      throw error;
    }
  }

  private number(token: Token): ArgNode {
    try {
      const value = token.kind === 'charConstant' ? unquoteChar(token.value) : parseNumber(token.value);
      return { type: 'number', pos: token.pos, text: token.value, value };
    } catch (error) {
      if (error instanceof LiteralError) this.fail(token.pos + error.offset, error.message);
      throw error;
    }
  }
}

export function parseTemplate(
  source: string,
  name: string,
  isFunction: (name: string) => boolean,
): ParsedTemplate {
  return new Parser(source, name, isFunction).parse();
}
