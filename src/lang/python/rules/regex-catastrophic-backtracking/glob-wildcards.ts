import type { Node } from '../../../../parsing/parser.js';
import { isConstantish, stringValue } from '../../helpers/constants.js';
import type { PythonModule } from '../../semantic/scope.js';

/** A glob turned into a pattern one wildcard at a time. */
export interface WildcardReplacement {
  /** The `.replace(...)` call. */
  node: Node;
  /** The text that was escaped (`glob` of `re.escape(glob)`). */
  escaped: Node;
  /** What each wildcard becomes (`.*?`). */
  replacement: string;
}

/** The escaped wildcard `\*` as `re.escape` writes it. */
const ESCAPED_STAR = '\\*';

/** A repetition of any character with no upper bound: `.*`, `.*?`, `.+`, `[^/]*`. */
const ANY_RUN = /^(?:\.|\[\^[^\]]*\])[*+]\??$/;

/**
 * `re.escape(glob).replace(r"\*", ".*?")` (also through a name bound to the escaped text in the same
 * function): each `*` of a glob becomes its own unbounded repetition, so a run of wildcards
 * (`a*****b`) becomes `.*?.*?.*?...`, neighbouring repetitions of the same characters. A glob whose
 * runs are collapsed first (`re.sub(r"(\\\*)+", ...)`) is not this.
 */
export function wildcardReplacements(module: PythonModule): WildcardReplacement[] {
  const out: WildcardReplacement[] = [];
  for (const call of module.calls) {
    if (call.methodName !== 'replace' || call.args.length < 2) continue;
    const from = stringValue(call.args[0], module);
    const to = stringValue(call.args[1], module);
    if (from !== ESCAPED_STAR || to === undefined || !ANY_RUN.test(to)) continue;
    const escaped = call.receiver ? escapedText(call.receiver, module) : undefined;
    if (escaped && !isConstantish(escaped, module)) out.push({ node: call.node, escaped, replacement: to });
  }
  return out;
}

/** The argument of `re.escape(x)` that the receiver is, directly or as a name assigned it in its function. */
function escapedText(receiver: Node, module: PythonModule): Node | undefined {
  const direct = escapeArgument(receiver, module);
  if (direct || receiver.type !== 'identifier') return direct;
  let scope: Node | null = receiver.parent;
  while (scope && scope.type !== 'function_definition' && scope.type !== 'module') scope = scope.parent;
  for (const a of scope?.descendantsOfType('assignment') ?? []) {
    if (a?.childForFieldName('left')?.text !== receiver.text) continue;
    if (a.startIndex >= receiver.startIndex) continue;
    const value = a.childForFieldName('right');
    const arg = value ? escapeArgument(value, module) : undefined;
    if (arg) return arg;
  }
  return undefined;
}

function escapeArgument(node: Node, module: PythonModule): Node | undefined {
  if (node.type !== 'call') return undefined;
  const fn = node.childForFieldName('function');
  const q = fn ? module.qualifiedName(fn) : undefined;
  if (q !== 're.escape' && q !== 'regex.escape') return undefined;
  return node.childForFieldName('arguments')?.namedChildren[0] ?? undefined;
}
