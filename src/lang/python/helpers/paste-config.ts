/**
 * Paste Deploy configuration: a WSGI filter or application factory (`filter_factory(global_conf,
 * **local_conf)`) gets the options of its ini section as text, and a middleware it builds gets them
 * as its `conf` (`__init__(self, app, conf)`). A value read from there is a string even when the
 * ini says `false`, so testing it for truth is true for every value the operator writes.
 */
import type { Node } from '../../../parsing/parser.js';
import type { PythonModule } from '../semantic/scope.js';
import { stringValue } from './constants.js';
import { enclosingClassOf, enclosingFunction } from './functions.js';

/** The parameter names that hold a Paste configuration mapping. */
const CONFIG_PARAMETERS: ReadonlySet<string> = new Set(['conf', 'global_conf', 'local_conf', 'config']);

/** An option read from a Paste configuration: `conf.get("insecure", False)` or `conf["insecure"]`. */
export interface TextOption {
  /** The read expression. */
  node: Node;
  /** The option's name. */
  option: string;
  /** The function it is read in. */
  fn: Node;
}

/** Whether the module defines a Paste Deploy factory: a function whose first parameter is `global_conf`. */
function definesPasteFactory(module: PythonModule): boolean {
  for (const def of module.file.tree.rootNode.descendantsOfType('function_definition')) {
    const first = def.childForFieldName('parameters')?.namedChildren[0];
    if (first?.type === 'identifier' && first.text === 'global_conf') return true;
  }
  return false;
}

/** The names of `def`'s parameters that hold the configuration (`conf` after `app`, `global_conf`, `**local_conf`). */
function configParameters(def: Node): Set<string> {
  const out = new Set<string>();
  const params = def.childForFieldName('parameters')?.namedChildren ?? [];
  const names = params.map((p) =>
    p.type === 'identifier'
      ? p.text
      : p.type === 'dictionary_splat_pattern'
        ? (p.namedChildren[0]?.text ?? '')
        : (p.childForFieldName('name')?.text ?? ''),
  );
  names.forEach((n, i) => {
    if (!CONFIG_PARAMETERS.has(n)) return;
    // A middleware's configuration follows the application it wraps (`self, app, conf`).
    if (n === 'conf' || n === 'config') {
      if (names[i - 1] === 'app') out.add(n);
    } else out.add(n);
  });
  return out;
}

/** The options read from Paste configuration mappings in a module that defines a Paste factory. */
export function pasteTextOptions(module: PythonModule): TextOption[] {
  if (!definesPasteFactory(module)) return [];
  const out: TextOption[] = [];
  for (const def of module.file.tree.rootNode.descendantsOfType('function_definition')) {
    const params = configParameters(def);
    if (params.size === 0) continue;
    const body = def.childForFieldName('body');
    for (const call of body?.descendantsOfType('call') ?? []) {
      const fn = call.childForFieldName('function');
      const recv = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      if (fn?.childForFieldName('attribute')?.text !== 'get' || recv?.type !== 'identifier') continue;
      if (!params.has(recv.text) || enclosingFunction(call)?.id !== def.id) continue;
      const option = stringValue(call.childForFieldName('arguments')?.namedChildren[0] ?? undefined, module);
      if (option !== undefined) out.push({ node: call, option, fn: def });
    }
    for (const sub of body?.descendantsOfType('subscript') ?? []) {
      const recv = sub.childForFieldName('value');
      if (recv?.type !== 'identifier' || !params.has(recv.text) || enclosingFunction(sub)?.id !== def.id)
        continue;
      const option = stringValue(sub.childForFieldName('subscript') ?? undefined, module);
      if (option !== undefined) out.push({ node: sub, option, fn: def });
    }
  }
  return out;
}

/**
 * Where a text option is tested for truth: the `if`/`elif` conditions that are the read itself or
 * the name it was assigned to (`insecure = conf.get("insecure")`, `self.insecure = ...`), and the
 * assignments that negate it (`verify = not insecure`). Each with the statement or block it decides.
 */
export function truthTests(option: TextOption): { condition: Node; decides: Node; negated: boolean }[] {
  const out: { condition: Node; decides: Node; negated: boolean }[] = [];
  const holders = [option.node.text];
  const assignment = option.node.parent?.type === 'assignment' ? option.node.parent : null;
  const left =
    assignment?.childForFieldName('right')?.id === option.node.id
      ? assignment.childForFieldName('left')
      : null;
  if (
    left?.type === 'identifier' ||
    (left?.type === 'attribute' && left.childForFieldName('object')?.text === 'self')
  )
    holders.push(left.text);
  // A name is read in its function; `self.insecure` in the whole class.
  const scope = left?.type === 'attribute' ? (enclosingClassOf(option.fn) ?? option.fn) : option.fn;
  for (const n of scope.descendantsOfType(['if_statement', 'elif_clause', 'not_operator'])) {
    if (n.type === 'not_operator') {
      const arg = n.childForFieldName('argument');
      const target = n.parent?.type === 'assignment' ? n.parent.childForFieldName('left') : null;
      if (arg && target && holders.includes(arg.text))
        out.push({ condition: arg, decides: n.parent!, negated: true });
      continue;
    }
    const cond = n.childForFieldName('condition');
    const block = n.childForFieldName('consequence');
    if (cond && block && holders.includes(cond.text))
      out.push({ condition: cond, decides: block, negated: false });
  }
  return out;
}
