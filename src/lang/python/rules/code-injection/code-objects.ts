/**
 * A code object whose names are checked against an allow-list before it runs: `code = compile(text,
 * "<expr>", "eval")`, then every name in `code.co_names` (globals, and the attributes the code
 * reads) must be one the program allows, and so must those of the code objects nested in its
 * constants (lambdas, comprehensions). Run with `{"__builtins__": {}}`, such code can reach only
 * what the allow-list hands it: no attribute like `__class__` or `__globals__` gets through. A check
 * of the top code object alone is not one: a lambda or comprehension inside the text carries its
 * own names, which that check never reads.
 */
import type { Node } from '../../../../parsing/parser.js';
import { enclosingFunction } from '../../helpers/functions.js';
import type { PythonModule } from '../../semantic/scope.js';

/** `for name in <code>.co_names:` loops of a function, on a name it is given. */
function namesLoops(def: Node, code: string): Node[] {
  return def.descendantsOfType('for_statement').filter((f): f is Node => {
    const right = f?.childForFieldName('right');
    return (
      right?.type === 'attribute' &&
      right.childForFieldName('attribute')?.text === 'co_names' &&
      right.childForFieldName('object')?.text === code
    );
  });
}

/**
 * Whether a function rejects, by raising, any name of the code object `code` not allowed, in the
 * code object and in the ones its constants hold (it reads `<code>.co_consts` too).
 */
function checksNestedNames(def: Node, code: string): boolean {
  const loops = namesLoops(def, code);
  if (!loops.some((l) => l.descendantsOfType('raise_statement').length > 0)) return false;
  return def
    .descendantsOfType('attribute')
    .some(
      (a) =>
        a?.childForFieldName('attribute')?.text === 'co_consts' &&
        a.childForFieldName('object')?.text === code,
    );
}

/** The name of a function's first parameter. */
function firstParameter(def: Node): string | undefined {
  const p = def.childForFieldName('parameters')?.namedChildren.find((c) => c && c.type !== 'comment');
  if (p?.type === 'identifier') return p.text;
  // `code: types.CodeType` (the name is the first child), `code=None` (its `name` field).
  const name = p?.type === 'typed_parameter' ? p.namedChildren[0] : p?.childForFieldName('name');
  return name?.type === 'identifier' ? name.text : undefined;
}

/**
 * Whether the code object a name holds (bound once, to `compile(...)`) has its names checked, with
 * those of its nested code objects, before `at`: in the function around it, or by a function of the
 * module it is passed to first (`_check_names(code, allowed)`).
 */
export function namesChecked(code: Node, at: Node, module: PythonModule): boolean {
  if (code.type !== 'identifier') return false;
  const value = module.singleValue(code);
  const compiler = value?.type === 'call' ? value.childForFieldName('function') : null;
  if (!compiler || module.qualifiedName(compiler) !== 'builtins.compile') return false;
  const fn = enclosingFunction(at);
  if (!fn) return false;
  if (checksNestedNames(fn, code.text)) return true;
  for (const call of module.calls) {
    if (call.node.startIndex >= at.startIndex || enclosingFunction(call.node)?.id !== fn.id) continue;
    if (call.args[0]?.type !== 'identifier' || call.args[0].text !== code.text) continue;
    const callee = call.node.childForFieldName('function');
    const def = callee ? module.singleDefinition(callee) : undefined;
    const param = def?.type === 'function_definition' ? firstParameter(def) : undefined;
    if (def && param && checksNestedNames(def, param)) return true;
  }
  return false;
}

/** The call a node is a positional or keyword argument of. */
function callOfArgument(n: Node): Node | undefined {
  const list = n.parent?.type === 'keyword_argument' ? n.parent.parent : n.parent;
  return list?.type === 'argument_list' && list.parent?.type === 'call' ? list.parent : undefined;
}

/**
 * Whether a `compile(...)` call's code object, bound to a name, is only passed to calls, and every
 * `eval`/`exec` of it comes after that check.
 */
export function compiledForCheckedRun(compileCall: Node, module: PythonModule): boolean {
  const assignment = compileCall.parent;
  const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
  const fn = enclosingFunction(compileCall);
  if (left?.type !== 'identifier' || !fn) return false;
  const reads = fn
    .descendantsOfType('identifier')
    .filter((n): n is Node => n !== null && n.text === left.text && n.startIndex > left.endIndex);
  let runs = 0;
  for (const n of reads) {
    const call = callOfArgument(n);
    if (!call) return false;
    const callee = call.childForFieldName('function');
    const q = callee ? module.qualifiedName(callee) : undefined;
    if (q !== 'builtins.eval' && q !== 'builtins.exec') continue;
    if (!namesChecked(n, call, module)) return false;
    runs++;
  }
  return runs > 0;
}
