import { describeSource, type TaintTrace } from '../../../../dataflow/query.js';
import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { prototypeFree, wholeKey } from '../../helpers/objects.js';
import type { JsModule } from '../../semantic/model.js';
import { FUNCTION_TYPES, unwrap } from '../../semantic/scope.js';

type Tainted = Extract<TaintTrace, { kind: 'tainted' }>;

/**
 * Text of a function that keeps the key to the table's own entries or to a list: an own-property
 * check, a prototype-free table, the inherited names refused by name.
 */
const OWN_ONLY =
  /hasOwnProperty|hasOwn\b|Object\.create\(\s*null|__proto__|['"`]constructor['"`]|Object\.(keys|getOwnPropertyNames)\(/;

/**
 * A lookup whose result is called: the table, the key (or, for a walk, the list of keys) and the
 * node reported.
 */
interface Lookup {
  node: Node;
  table: Node;
  key: Node;
  /** `parts.reduce((t, k) => t[k], table)`: the keys walk the table a level each. */
  walk: boolean;
}

/** The function a node is written in, or the program. */
function scopeOf(n: Node): Node {
  let f: Node | null = n.parent;
  while (f && !FUNCTION_TYPES.has(f.type)) f = f.parent;
  return f ?? n;
}

/** Escapes text for a regular expression. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The key is compared with fixed names or an allow list in the function: `k === 'list'`,
 * `ALLOWED.includes(k)`, `allowed.has(k)`, `switch (k)`, or an own-property check.
 */
function keyChecked(scope: Node, key: Node): boolean {
  if (OWN_ONLY.test(scope.text)) return true;
  const k = literal(unwrap(key).text);
  return new RegExp(
    `(===|!==|==|!=)\\s*${k}\\b|\\b${k}\\s*(===|!==|==|!=)|\\.(includes|has|indexOf)\\(\\s*${k}\\s*\\)|switch\\s*\\(\\s*${k}\\s*\\)`,
  ).test(scope.text);
}

/** `obj[k]`, read through a name bound once (`const fn = obj[k]`). */
function subscriptLookup(callee: Node, module: JsModule): Lookup | undefined {
  let n = unwrap(callee);
  if (n.type === 'identifier') n = unwrap(module.singleValue(n) ?? n);
  if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '||')
    n = unwrap(n.childForFieldName('left') ?? n);
  if (n.type !== 'subscript_expression') return undefined;
  const table = n.childForFieldName('object');
  const key = n.childForFieldName('index');
  if (!table || !key || ['string', 'number', 'template_string'].includes(unwrap(key).type)) return undefined;
  if (key.type === 'template_string' && !wholeKey(key, module)) return undefined;
  return { node: n, table, key, walk: false };
}

/**
 * `keys.reduce((t, k) => t && t[k], table)` (or a block returning `t[k]`), read through a name bound
 * once: each key picks the next level of the table.
 */
function walkLookup(callee: Node, module: JsModule): Lookup | undefined {
  let n = unwrap(callee);
  if (n.type === 'identifier') n = unwrap(module.singleValue(n) ?? n);
  if (n.type === 'await_expression') n = unwrap(n.namedChildren[0] ?? n);
  if (n.type !== 'call_expression') return undefined;
  const fn = n.childForFieldName('function');
  const args = n.childForFieldName('arguments')?.namedChildren ?? [];
  if (fn?.type !== 'member_expression' || fn.childForFieldName('property')?.text !== 'reduce')
    return undefined;
  const keys = fn.childForFieldName('object');
  const [cb, table] = args;
  if (!keys || !cb || !table || !FUNCTION_TYPES.has(cb.type)) return undefined;
  const params = cb.childForFieldName('parameters')?.namedChildren ?? [];
  const [acc, key] = params.map((p) => (p.type === 'identifier' ? p.text : undefined));
  if (!acc || !key || OWN_ONLY.test(cb.text)) return undefined;
  const steps = cb
    .descendantsOfType('subscript_expression')
    .some((s) => s?.childForFieldName('object')?.text === acc && s.childForFieldName('index')?.text === key);
  return steps ? { node: n, table, key: keys, walk: true } : undefined;
}

export default defineRule({
  id: 'javascript/unsafe-reflection',
  title: 'Function picked by a client-chosen key and called',
  cwe: 470,
  severity: 'medium',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['['],
  description:
    'A function is looked up in an object by a key from the request (`handlers[req.body.action]`, or ' +
    "an event name walked a level per dot, `name.split('.').reduce((t, k) => t[k], table)`) and " +
    'called, with no check that the key names one of the entries written for it. The object has ' +
    '`Object.prototype` behind it: `constructor`, `toString`, `__defineGetter__`, `__proto__` and ' +
    'the like pick inherited functions (or, on a class instance, any method, private ones too), ' +
    'which run with the arguments meant for a handler: errors that may stop the process, and ' +
    'behaviour the code never meant to expose. Not reported: a table made with ' +
    '`Object.create(null)`, a key checked with `hasOwnProperty`/`Object.hasOwn`, compared with fixed ' +
    'names or an allow list (`===`, `includes`, `has`, `switch`), or pasted into constant text ' +
    '(`` `on${name}` ``). High confidence: the flow of the key is proven.',
  fix: 'Keep handlers in a `Map` or an `Object.create(null)` table, check `Object.hasOwn(table, key)` before the call, or compare the key with an allow list.',
  example: {
    bad: 'const handler = actions[req.body.action]; if (handler) return handler(req, res);',
    good: 'if (!Object.hasOwn(actions, req.body.action)) return res.sendStatus(404); return actions[req.body.action](req, res);',
  },
  taint: {},
  check({ module, taint, report }) {
    if (taint.sourceFree) return;
    const reported = new Set<number>();
    for (const call of module.calls) {
      const callee = call.functionNode;
      if (!callee || call.node.type !== 'call_expression') continue;
      const lookup = subscriptLookup(callee, module) ?? walkLookup(callee, module);
      if (!lookup || reported.has(lookup.node.id)) continue;
      const { node, table, key, walk } = lookup;
      if (prototypeFree(table, module) || keyChecked(scopeOf(node), key)) continue;
      if (scopeOf(call.node).id !== scopeOf(node).id && keyChecked(scopeOf(call.node), key)) continue;
      if (!walk && !wholeKey(key, module)) continue;
      const t = taint.trace(key, { cwe: 470, trust: ['user', 'admin'] });
      if (t.kind !== 'tainted') continue;
      reported.add(node.id);
      const trace: Tainted = t;
      const line = call.node.startPosition.row + 1;
      const how = walk
        ? `is walked a level per key of \`${codeOf(key, 30)}\``
        : `is indexed by \`${codeOf(key, 30)}\``;
      report({
        node,
        message:
          `\`${codeOf(table, 30)}\` ${how}, from ${describeSource(trace.sources[0])}, and the function found is ` +
          `called (line ${line}) with no check that the key names one of its own entries: a key such as ` +
          '`constructor` or `__proto__` picks an inherited function instead.',
        flow: taint.flowTo(trace, node, walk ? 'the keys that walk the table' : 'the key of the lookup'),
        sources: trace.sources,
      });
    }
  },
});
