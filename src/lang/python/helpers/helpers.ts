import type { Node } from '../../../parsing/parser.js';
import { constantValue, type ConstValue } from '../semantic/constant.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';

/** Calls whose callee resolves to one of the qualified names. */
export function callsTo(module: PythonModule, names: Iterable<string>): CallSite[] {
  const set = new Set(names);
  return module.calls.filter((c) => c.callee !== undefined && set.has(c.callee));
}

/** The argument at a position or keyword, as Python binds it. */
export function argument(call: CallSite, position: number, keyword?: string): Node | undefined {
  if (keyword && call.kwargs.has(keyword)) return call.kwargs.get(keyword);
  return position >= 0 ? call.args[position] : undefined;
}

export function constantArgument(
  call: CallSite,
  module: PythonModule,
  position: number,
  keyword?: string,
): { value: ConstValue } | undefined {
  const a = argument(call, position, keyword);
  return a ? constantValue(a, module) : undefined;
}

/** True when the keyword is passed with a value that is statically truthy. */
export function keywordIsTruthy(call: CallSite, module: PythonModule, keyword: string): boolean {
  const a = call.kwargs.get(keyword);
  if (!a) return false;
  const v = constantValue(a, module);
  if (!v) return false;
  const value = v.value;
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

export function keywordIsFalse(call: CallSite, module: PythonModule, keyword: string): boolean {
  const a = call.kwargs.get(keyword);
  if (!a) return false;
  const v = constantValue(a, module);
  return v !== undefined && (v.value === false || v.value === 0 || v.value === null);
}

/** Source text of a node for messages, shortened to one line. */
export function codeOf(node: Node, max = 60): string {
  const t = node.text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** The name the callee is written with in source ("P" for an aliased Popen). */
export function writtenCallee(call: CallSite): string {
  const fn = call.node.childForFieldName('function');
  return fn ? codeOf(fn, 50) : '?';
}

/** "`subprocess.Popen` (written `P`)" when an alias hides the real callee. */
export function calleeLabel(call: CallSite): string {
  const written = writtenCallee(call);
  const q = call.callee ?? written;
  const display = q.replace(/^builtins\./, '');
  return display === written ? `\`${display}\`` : `\`${display}\` (called as \`${written}\`)`;
}

/** Words a secret-bearing name contains; used by hard-coded secret and weak-hash rules. */
export const SECRET_NAME =
  /(pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|priv[_-]?key|credential|auth[_-]?key|access[_-]?key|signing[_-]?key|encryption[_-]?key|salt)/i;

/** The variable or attribute an expression's value is assigned to, if any (`x = ...`, `self.x = ...`). */
export function assignedName(node: Node): string | undefined {
  let n: Node | null = node;
  while (
    n?.parent &&
    ['parenthesized_expression', 'call', 'attribute', 'argument_list'].includes(n.parent.type)
  ) {
    if (n.parent.type === 'call' || n.parent.type === 'argument_list') break;
    n = n.parent;
  }
  const p = n?.parent;
  if (p?.type === 'assignment' && p.childForFieldName('right')?.id === n?.id) {
    const left = p.childForFieldName('left');
    if (left?.type === 'identifier') return left.text;
    if (left?.type === 'attribute') return left.childForFieldName('attribute')?.text;
    if (left?.type === 'subscript') return left.childForFieldName('subscript')?.text.replace(/['"]/g, '');
  }
  if (p?.type === 'keyword_argument') return p.childForFieldName('name')?.text;
  return undefined;
}
