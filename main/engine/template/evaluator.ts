/**
 * Executes a parse tree with Go's text/template semantics (text/template/exec.go):
 * the same variable stack, pipelines that pass their value as the last
 * argument, field chains that yield "no value" on missing map keys and errors
 * on missing struct fields, and range/with/if truth. Every node, command,
 * call and loop iteration costs steps, every function its work by the size of
 * what it reads and makes, every byte written counts against the output
 * limit, and the clock is checked as it goes, so any template stops in bounded
 * time and memory, with the position where it stopped.
 */
import {
  nodeString,
  type AnyNode,
  type ArgNode,
  type BranchNode,
  type ChainNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from './ast.js';
import { TemplateRenderError, positionAt } from './errors.js';
import { COST, type FunctionContext, type ParamType } from './function-types.js';
import { FUNCTIONS } from './functions.js';
import { StringTooLongError, formatValue } from './printf.js';
import type {
  RenderLimits,
  RenderOptions,
  RenderResult,
  TemplateDataSource,
  TemplateDependency,
} from './types.js';
import { isNil, isTrue, kindOf, mapKeys, mapLookup, structLookup, typeName, type GoMap } from './values.js';

/** Marks "no value piped in": distinct from every template value, nil included. */
const MISSING: unique symbol = Symbol('missing');

/** {{template}} calls nested deeper than this are runaway recursion. */
export const MAX_TEMPLATE_DEPTH = 200;

/** Reading the clock costs ~40 ns: look at it every this many steps. */
const CLOCK_INTERVAL = 256;

/** Characters of a string, elements of a slice: the size a function's work grows with. */
function sizeOf(value: unknown): number {
  return typeof value === 'string' || Array.isArray(value) ? value.length : 0;
}

type Signal = 'break' | 'continue' | undefined;

interface Variable {
  name: string;
  value: unknown;
}

const GO_PARAM_TYPES: Record<ParamType, string> = {
  any: 'interface {}',
  string: 'string',
  int: 'int',
  bool: 'bool',
  slice: '[]interface {}',
  strings: '[]string',
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A value for an error message, shortened. */
function describeValue(value: unknown): string {
  try {
    return formatValue(value, 200);
  } catch {
    return `a long ${typeName(value)}`;
  }
}

/** Go's ErrorContext: the node's source, cut at 20 characters. */
function errorContext(node: AnyNode): string {
  const text = nodeString(node);
  return text.length > 20 ? `${text.slice(0, 20)}...` : text;
}

export interface EvaluationInput {
  name: string;
  source: string;
  templates: ReadonlyMap<string, ListNode>;
  data: TemplateDataSource;
  limits: RenderLimits;
  options?: RenderOptions;
}

export class Evaluator {
  private vars: Variable[] = [];
  private readonly chunks: string[] = [];
  private bytes = 0;
  private steps = 0;
  private untilClock = CLOCK_INTERVAL;
  private deadline = 0;
  private templateDepth = 0;
  private current: AnyNode | undefined;
  private readonly dependencies = new Map<string, TemplateDependency>();
  private complete = true;
  private readonly context: FunctionContext;

  constructor(private readonly input: EvaluationInput) {
    this.context = {
      data: input.data,
      record: (dependency, loaded) => {
        if (!this.dependencies.has(dependency.key)) this.dependencies.set(dependency.key, dependency);
        if (!loaded) this.complete = false;
      },
      maxStringLength: input.limits.maxOutputBytes,
    };
  }

  run(root: ListNode): RenderResult {
    this.vars = [{ name: '$', value: undefined }];
    this.deadline = performance.now() + this.input.limits.maxMilliseconds;
    try {
      this.walk(undefined, root);
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message) && this.current)
        this.fail(this.current, 'template nesting is too deep to execute');
      throw error;
    }
    return {
      output: this.chunks.join(''),
      dependencies: [...this.dependencies.values()],
      complete: this.complete,
    };
  }

  private fail(node: AnyNode, message: string): never {
    throw new TemplateRenderError(
      this.input.name,
      positionAt(this.input.source, node.pos),
      message,
      errorContext(node),
    );
  }

  private step(node: AnyNode, cost = 1): void {
    this.current = node;
    const progress = this.input.options?.progress;
    if (progress) Atomics.store(progress, 0, node.pos);
    this.steps += cost;
    if (this.steps > this.input.limits.maxSteps)
      this.fail(node, `evaluation exceeds the maxSteps limit of ${this.input.limits.maxSteps} steps`);
    if (--this.untilClock > 0) return;
    this.untilClock = CLOCK_INTERVAL;
    if (performance.now() > this.deadline)
      this.fail(
        node,
        `evaluation exceeds the maxMilliseconds limit of ${this.input.limits.maxMilliseconds} ms`,
      );
  }

  private failStringTooLong(node: AnyNode): never {
    this.fail(
      node,
      `a string value exceeds the maxOutputBytes limit of ${this.input.limits.maxOutputBytes} bytes`,
    );
  }

  private write(node: AnyNode, text: string): void {
    this.bytes += Buffer.byteLength(text, 'utf8');
    if (this.bytes > this.input.limits.maxOutputBytes)
      this.fail(node, `output exceeds the maxOutputBytes limit of ${this.input.limits.maxOutputBytes} bytes`);
    this.chunks.push(text);
  }

  private walk(dot: unknown, node: Node): Signal {
    this.step(node);
    switch (node.type) {
      case 'list':
        for (const child of node.nodes) {
          const signal = this.walk(dot, child);
          if (signal) return signal;
        }
        return undefined;
      case 'text':
        this.write(node, node.text);
        return undefined;
      case 'action': {
        const value = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, value);
        return undefined;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, node);
      case 'range':
        return this.walkRange(dot, node);
      case 'break':
      case 'continue':
        return node.type;
      case 'template':
        this.walkTemplate(dot, node);
        return undefined;
    }
  }

  private printValue(node: AnyNode, value: unknown): void {
    let text: string;
    try {
      text = formatValue(value, this.input.limits.maxOutputBytes);
    } catch (error) {
      if (error instanceof StringTooLongError)
        this.fail(
          node,
          `output exceeds the maxOutputBytes limit of ${this.input.limits.maxOutputBytes} bytes`,
        );
      throw error;
    }
    this.write(node, text);
  }

  /** Variables declared inside the block (and by its pipeline) end with the block. */
  private walkIfOrWith(dot: unknown, node: BranchNode<'if' | 'with'>): Signal {
    const mark = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      if (isTrue(value)) return this.walk(node.type === 'with' ? value : dot, node.list);
      if (node.elseList) return this.walk(dot, node.elseList);
      return undefined;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, node: BranchNode<'range'>): Signal {
    const outer = this.vars.length;
    try {
      const value = this.evalPipeline(dot, node.pipe);
      const mark = this.vars.length;
      const { decl, isAssign } = node.pipe;
      // One variable gets the element; two get the index (or key) and the element.
      const iteration = (index: unknown, element: unknown): Signal => {
        this.step(node);
        if (decl.length > 0) {
          if (isAssign) this.setVar(node, decl[0]!.ident[0]!, decl.length > 1 ? index : element);
          else this.vars[this.vars.length - 1]!.value = element;
        }
        if (decl.length > 1) {
          if (isAssign) this.setVar(node, decl[1]!.ident[0]!, element);
          else this.vars[this.vars.length - 2]!.value = index;
        }
        const signal = this.walk(element, node.list);
        this.vars.length = mark;
        return signal;
      };
      let ran = false;
      switch (kindOf(value)) {
        case 'slice':
          for (const [i, element] of (value as unknown[]).entries()) {
            ran = true;
            if (iteration(i, element) === 'break') break;
          }
          break;
        case 'map':
          for (const key of mapKeys(value as GoMap)) {
            ran = true;
            if (iteration(key, mapLookup(value as GoMap, key).value) === 'break') break;
          }
          break;
        case 'int':
          if (decl.length > 1)
            this.fail(node.pipe, `can't use ${describeValue(value)} to iterate over more than one variable`);
          for (let i = 0; i < (value as number); i++) {
            ran = true;
            if (iteration(i, i) === 'break') break;
          }
          break;
        case 'nil':
          break;
        default:
          this.fail(node.pipe, `range can't iterate over ${describeValue(value)}`);
      }
      if (!ran && node.elseList) return this.walk(dot, node.elseList);
      return undefined;
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: unknown, node: TemplateNode): void {
    const tree = this.input.templates.get(node.name);
    if (!tree) this.fail(node, `no such template ${JSON.stringify(node.name)}`);
    const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
    if (this.templateDepth >= MAX_TEMPLATE_DEPTH)
      this.fail(node, `exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
    const saved = this.vars;
    this.vars = [{ name: '$', value: newDot }];
    this.templateDepth++;
    try {
      this.walk(newDot, tree);
    } finally {
      this.templateDepth--;
      this.vars = saved;
    }
  }

  private evalPipeline(dot: unknown, pipe: PipeNode): unknown {
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd.args, cmd, value);
    for (const variable of pipe.decl) {
      const name = variable.ident[0]!;
      if (pipe.isAssign) this.setVar(variable, name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  private evalCommand(dot: unknown, args: ArgNode[], cmd: AnyNode, final: unknown): unknown {
    this.step(cmd);
    const first = args[0]!;
    switch (first.type) {
      case 'field':
        return this.evalFieldChain(dot, first, first.ident, args, final);
      case 'chain':
        return this.evalChain(dot, first, args, final);
      case 'identifier':
        return this.evalFunction(dot, first, args, final);
      case 'variable':
        return this.evalVariable(first, args, final);
      case 'pipe':
        this.notAFunction(args, final);
        return this.evalPipeline(dot, first);
    }
    this.notAFunction(args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.fail(first, 'nil is not a command');
      case 'number':
        return first.value;
      case 'string':
        return first.text;
    }
  }

  private notAFunction(args: ArgNode[], final: unknown): void {
    if (args.length > 1 || final !== MISSING)
      this.fail(args[0]!, `can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalArg(dot: unknown, node: ArgNode): unknown {
    switch (node.type) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'field':
        return this.evalFieldChain(dot, node, node.ident, [node], MISSING);
      case 'variable':
        return this.evalVariable(node, [node], MISSING);
      case 'pipe':
        return this.evalPipeline(dot, node);
      case 'identifier':
        return this.evalFunction(dot, node, [node], MISSING);
      case 'chain':
        return this.evalChain(dot, node, [node], MISSING);
      case 'bool':
      case 'number':
        return node.value;
      case 'string':
        return node.text;
    }
  }

  private evalChain(dot: unknown, chain: ChainNode, args: ArgNode[], final: unknown): unknown {
    if (chain.node.type === 'nil')
      this.fail(chain, `indirection through explicit nil in ${nodeString(chain)}`);
    const receiver = this.evalArg(dot, chain.node);
    return this.evalFieldChain(receiver, chain, chain.fields, args, final);
  }

  private evalVariable(variable: VariableNode, args: ArgNode[], final: unknown): unknown {
    const value = this.varValue(variable, variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(value, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(
    receiver: unknown,
    node: AnyNode,
    ident: string[],
    args: ArgNode[],
    final: unknown,
  ): unknown {
    const last = ident.length - 1;
    for (let i = 0; i < last; i++) receiver = this.evalField(ident[i]!, node, false, receiver);
    return this.evalField(ident[last]!, node, args.length > 1 || final !== MISSING, receiver);
  }

  private evalField(name: string, node: AnyNode, hasArgs: boolean, receiver: unknown): unknown {
    // A missing value has no fields; Go yields "no value" rather than an error.
    if (isNil(receiver)) return undefined;
    switch (kindOf(receiver)) {
      case 'struct': {
        const field = structLookup(receiver, name);
        if (!field.found) break;
        if (hasArgs) this.fail(node, `${name} has arguments but cannot be invoked as function`);
        return field.value;
      }
      case 'map': {
        if (hasArgs) this.fail(node, `${name} is not a method but has arguments`);
        const entry = mapLookup(receiver as GoMap, name);
        return entry.found ? entry.value : undefined;
      }
    }
    this.fail(node, `can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  private evalFunction(dot: unknown, ident: IdentifierNode, args: ArgNode[], final: unknown): unknown {
    const name = ident.name;
    const fn = FUNCTIONS.get(name);
    if (!fn) this.fail(ident, `${JSON.stringify(name)} is not a defined function`);
    const argNodes = args.slice(1);
    const numIn = argNodes.length + (final === MISSING ? 0 : 1);
    const fixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < fixed)
        this.fail(ident, `wrong number of args for ${name}: want at least ${fixed} got ${numIn}`);
    } else if (numIn !== fixed) {
      this.fail(ident, `wrong number of args for ${name}: want ${fixed} got ${numIn}`);
    }
    const paramType = (i: number): ParamType => (i < fixed ? fn.params[i]! : (fn.variadic ?? 'any'));

    if (name === 'and' || name === 'or') {
      // Go 1.18+: stop at the first argument that decides the result.
      let value: unknown;
      for (const node of argNodes) {
        value = this.convert(node, this.evalArg(dot, node), 'any');
        if (isTrue(value) === (name === 'or')) return value;
      }
      return final === MISSING ? value : this.convert(ident, final, 'any');
    }

    const values = argNodes.map((node, i) => this.convert(node, this.evalArg(dot, node), paramType(i)));
    if (final !== MISSING) values.push(this.convert(ident, final, paramType(values.length)));
    // The work a call does grows with what it reads and makes: charge it before the call
    // (a call too big for what is left of the budget never starts) and for its result after.
    const weight = fn.weight ?? COST.native;
    let inputSize = 0;
    for (const value of values) inputSize += sizeOf(value);
    this.step(ident, 1 + weight * inputSize + (fn.extraCost?.(values) ?? 0));
    let result: unknown;
    try {
      result = fn.call(values, this.context);
    } catch (error) {
      if (error instanceof TemplateRenderError) throw error;
      if (error instanceof StringTooLongError) this.failStringTooLong(ident);
      this.fail(ident, `error calling ${name}: ${errorText(error)}`);
    }
    if (typeof result === 'string' && result.length > this.input.limits.maxOutputBytes)
      this.failStringTooLong(ident);
    this.step(ident, weight * sizeOf(result));
    return result;
  }

  /** Go's validateType: the checks reflection does when it passes a value to a typed parameter. */
  private convert(node: AnyNode, value: unknown, type: ParamType): unknown {
    const kind = kindOf(value);
    switch (type) {
      case 'any':
        return isNil(value) ? null : value;
      case 'string':
        if (kind === 'string') return value;
        break;
      case 'int':
        if (kind === 'int') return value;
        break;
      case 'bool':
        if (kind === 'bool') return value;
        break;
      case 'slice':
        if (kind === 'nil') return [];
        if (kind === 'slice') return value;
        break;
      case 'strings':
        if (kind === 'nil') return [];
        if (kind === 'slice' && (value as unknown[]).every((v) => typeof v === 'string')) return value;
        break;
    }
    if (kind === 'nil') this.fail(node, `invalid value; expected ${GO_PARAM_TYPES[type]}`);
    this.fail(node, `wrong type for value; expected ${GO_PARAM_TYPES[type]}; got ${typeName(value)}`);
  }

  private varValue(node: AnyNode, name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.fail(node, `undefined variable: ${name}`);
  }

  private setVar(node: AnyNode, name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(node, `undefined variable: ${name}`);
  }
}
