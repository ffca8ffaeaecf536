import type { Node } from '../../../parsing/parser.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';
import type { CookieFlag } from '../../../dataflow/concepts.js';
import { stringValue } from './constants.js';
import { enclosingClassOf } from './functions.js';

/**
 * A project often sets its cookies through its own `set_cookie` method, which adds HttpOnly and Secure
 * itself before calling the framework. A call to that wrapper is judged by what the wrapper does, not by
 * the keywords the caller left out.
 */

interface OwnClass {
  node: Node;
  name: string;
  bases: string[];
  methods: Map<string, Node>;
}

const classCache = new WeakMap<PythonModule, OwnClass[]>();

function ownClasses(module: PythonModule): OwnClass[] {
  let cached = classCache.get(module);
  if (!cached) classCache.set(module, (cached = readClasses(module)));
  return cached;
}

function readClasses(module: PythonModule): OwnClass[] {
  const root = module.file.tree.rootNode;
  return root.descendantsOfType('class_definition').flatMap((c) => {
    if (!c) return [];
    const name = c.childForFieldName('name')?.text ?? '';
    const bases = (c.childForFieldName('superclasses')?.namedChildren ?? [])
      .filter((b): b is Node => b !== null && (b.type === 'identifier' || b.type === 'attribute'))
      .map((b) => b.text.split('.').pop() ?? '');
    const methods = new Map<string, Node>();
    for (const s of c.childForFieldName('body')?.namedChildren ?? []) {
      const def = s?.type === 'decorated_definition' ? s.childForFieldName('definition') : s;
      if (def?.type === 'function_definition') methods.set(def.childForFieldName('name')?.text ?? '', def);
    }
    return [{ node: c, name, bases, methods }];
  });
}

/** The classes of the module that share an inheritance line with `cls` (itself, its bases, its subclasses). */
function relatedClasses(cls: OwnClass, all: OwnClass[]): OwnClass[] {
  const byName = new Map(all.map((c) => [c.name, c]));
  const related = new Set<OwnClass>([cls]);
  const up = [cls];
  while (up.length)
    for (const b of up.pop()!.bases) {
      const base = byName.get(b);
      if (!base || related.has(base)) continue;
      related.add(base);
      up.push(base);
    }
  let grew = true;
  while (grew) {
    grew = false;
    for (const c of all)
      if (!related.has(c) && c.bases.some((b) => [...related].some((r) => r.name === b) && b !== c.name)) {
        related.add(c);
        grew = true;
      }
  }
  return [...related];
}

function parameters(def: Node): { names: string[]; varKeywords: boolean; varArgs: boolean } {
  const names: string[] = [];
  let varKeywords = false;
  let varArgs = false;
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'dictionary_splat_pattern') varKeywords = true;
    else if (p.type === 'list_splat_pattern') varArgs = true;
    else if (p.type === 'identifier') names.push(p.text);
    else {
      const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
      if (name) names.push(name.text);
    }
  }
  return { names: names.slice(1), varKeywords, varArgs };
}

/** True when the call's arguments bind to the method's parameters (after `self`). */
function binds(call: CallSite, def: Node): boolean {
  const { names, varKeywords, varArgs } = parameters(def);
  if (call.args.length > names.length && !varArgs) return false;
  return [...call.kwargs.keys()].every((k) => varKeywords || names.includes(k));
}

const isTrue = (n: Node | null | undefined): boolean => n?.type === 'true';

/** The wrapper turns the flag on: a `flag=True` default, `kwargs["flag"] = True`, `setdefault`, `{"flag": True}`. */
function setsFlag(
  def: Node,
  flag: CookieFlag,
  module: PythonModule,
  methods: Map<string, Node>,
  depth = 0,
): boolean {
  for (const p of def.childForFieldName('parameters')?.namedChildren ?? [])
    if (p?.childForFieldName('name')?.text === flag && isTrue(p.childForFieldName('value'))) return true;
  const body = def.childForFieldName('body');
  if (!body) return false;
  const isFlag = (n: Node | null | undefined): boolean => !!n && stringValue(n, module) === flag;
  for (const a of body.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left');
    if (
      left?.type === 'subscript' &&
      isFlag(left.childForFieldName('subscript')) &&
      isTrue(a?.childForFieldName('right'))
    )
      return true;
  }
  for (const pair of body.descendantsOfType('pair'))
    if (isFlag(pair?.childForFieldName('key')) && isTrue(pair?.childForFieldName('value'))) return true;
  for (const k of body.descendantsOfType('keyword_argument'))
    if (k?.childForFieldName('name')?.text === flag && isTrue(k.childForFieldName('value'))) return true;
  for (const c of body.descendantsOfType('call')) {
    const fn = c?.childForFieldName('function');
    if (fn?.type !== 'attribute') continue;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    const args = c?.childForFieldName('arguments')?.namedChildren ?? [];
    if (method === 'setdefault' && isFlag(args[0]) && isTrue(args[1])) return true;
    // One step into a helper of the same class: `self._set_cookie(...)` that adds the flags.
    const helper = fn.childForFieldName('object')?.text === 'self' ? methods.get(method) : undefined;
    if (helper && helper.id !== def.id && depth < 1 && setsFlag(helper, flag, module, methods, depth + 1))
      return true;
  }
  return false;
}

/**
 * True when the call goes to the module's own method of that name (on `self` within the class line that
 * defines it, or on another receiver whose arguments fit it) and every such method turns the flag on.
 */
export function ownWrapperSetsFlag(call: CallSite, module: PythonModule, flag: CookieFlag): boolean {
  const name = call.methodName;
  if (!name || !call.receiver) return false;
  const all = ownClasses(module).filter((c) => c.methods.has(name));
  if (all.length === 0) return false;
  let candidates: OwnClass[];
  if (
    call.receiver.type === 'identifier' &&
    (call.receiver.text === 'self' || call.receiver.text === 'cls')
  ) {
    const node = enclosingClassOf(call.node);
    const cls = node && ownClasses(module).find((c) => c.node.id === node.id);
    if (!cls) return false;
    const related = new Set(relatedClasses(cls, ownClasses(module)).map((c) => c.name));
    candidates = all.filter((c) => related.has(c.name));
  } else candidates = all.filter((c) => binds(call, c.methods.get(name)!));
  return (
    candidates.length > 0 &&
    candidates.every(
      (c) => binds(call, c.methods.get(name)!) && setsFlag(c.methods.get(name)!, flag, module, c.methods),
    )
  );
}
