/**
 * The parse tree, shaped like Go's text/template/parse nodes so that the
 * evaluator can follow exec.go closely. `pos` is an offset into the source.
 */
import type { GoFloat } from './values.js';

export interface ListNode {
  type: 'list';
  pos: number;
  nodes: Node[];
}

export interface TextNode {
  type: 'text';
  pos: number;
  text: string;
}

export interface ActionNode {
  type: 'action';
  pos: number;
  pipe: PipeNode;
}

export interface PipeNode {
  type: 'pipe';
  pos: number;
  /** Variables declared (:=) or assigned (=) by this pipeline. */
  decl: VariableNode[];
  isAssign: boolean;
  cmds: CommandNode[];
}

export interface CommandNode {
  type: 'command';
  pos: number;
  args: ArgNode[];
}

/** `.A.B`: fields of dot. */
export interface FieldNode {
  type: 'field';
  pos: number;
  ident: string[];
}

/** `$x.A.B`: ident[0] is the variable, the rest are fields. */
export interface VariableNode {
  type: 'variable';
  pos: number;
  ident: string[];
}

/** `(pipeline).A.B`. */
export interface ChainNode {
  type: 'chain';
  pos: number;
  node: ArgNode;
  fields: string[];
}

export interface IdentifierNode {
  type: 'identifier';
  pos: number;
  name: string;
}

export interface DotNode {
  type: 'dot';
  pos: number;
}

export interface NilNode {
  type: 'nil';
  pos: number;
}

export interface BoolNode {
  type: 'bool';
  pos: number;
  value: boolean;
}

export interface NumberNode {
  type: 'number';
  pos: number;
  text: string;
  value: number | GoFloat;
}

export interface StringNode {
  type: 'string';
  pos: number;
  /** As written, quotes included. */
  quoted: string;
  text: string;
}

export type ArgNode =
  | FieldNode
  | VariableNode
  | ChainNode
  | IdentifierNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export interface BranchNode<T extends 'if' | 'range' | 'with'> {
  type: T;
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}

export type IfNode = BranchNode<'if'>;
export type RangeNode = BranchNode<'range'>;
export type WithNode = BranchNode<'with'>;

export interface BreakNode {
  type: 'break';
  pos: number;
}

export interface ContinueNode {
  type: 'continue';
  pos: number;
}

export interface TemplateNode {
  type: 'template';
  pos: number;
  name: string;
  pipe: PipeNode | null;
}

export type Node =
  ListNode | TextNode | ActionNode | IfNode | RangeNode | WithNode | BreakNode | ContinueNode | TemplateNode;

export type AnyNode = Node | ArgNode | CommandNode;

/** The node as template source, as Go's Node.String() (used in error messages). */
export function nodeString(node: AnyNode): string {
  switch (node.type) {
    case 'list':
      return node.nodes.map(nodeString).join('');
    case 'text':
      return node.text;
    case 'action':
      return `{{${nodeString(node.pipe)}}}`;
    case 'pipe': {
      const decl = node.decl.length
        ? `${node.decl.map(nodeString).join(', ')} ${node.isAssign ? '=' : ':='} `
        : '';
      return decl + node.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return node.args
        .map((arg) => (arg.type === 'pipe' ? `(${nodeString(arg)})` : nodeString(arg)))
        .join(' ');
    case 'field':
      return node.ident.map((f) => `.${f}`).join('');
    case 'variable':
      return node.ident.join('.');
    case 'chain': {
      const inner = node.node.type === 'pipe' ? `(${nodeString(node.node)})` : nodeString(node.node);
      return inner + node.fields.map((f) => `.${f}`).join('');
    }
    case 'identifier':
      return node.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(node.value);
    case 'number':
      return node.text;
    case 'string':
      return node.quoted;
    case 'if':
    case 'range':
    case 'with': {
      const elsePart = node.elseList ? `{{else}}${nodeString(node.elseList)}` : '';
      return `{{${node.type} ${nodeString(node.pipe)}}}${nodeString(node.list)}${elsePart}{{end}}`;
    }
    case 'break':
      return '{{break}}';
    case 'continue':
      return '{{continue}}';
    case 'template':
      return `{{template ${JSON.stringify(node.name)}${node.pipe ? ` ${nodeString(node.pipe)}` : ''}}}`;
  }
}
