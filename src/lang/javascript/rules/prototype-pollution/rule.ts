import type { DeclaredVersion } from '../../../../core/project.js';
import { compareVersions } from '../../../../core/project.js';
import { describeSource, type TaintTrace } from '../../../../dataflow/query.js';
import { escapeRegExp } from '../../../../core/escape.js';
import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { prototypeFree, wholeKey } from '../../helpers/objects.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { FUNCTION_TYPES, parameterName, unwrap } from '../../semantic/scope.js';

/**
 * Library merges and path setters that copied `__proto__`/`constructor.prototype` keys before a
 * fix: the callees, the arguments that pollute (objects merged in, or a path), the package and its
 * first fixed release.
 */
interface LibraryMerge {
  calls: readonly string[];
  /** `objects`: positions from `from` on are objects merged in; `path`: the position of a key path. */
  kind: 'objects' | 'path';
  from: number;
  pkg: string;
  fixed: string;
}

const LIBRARY: readonly LibraryMerge[] = [
  {
    calls: ['lodash.merge', 'lodash.mergeWith', 'lodash.defaultsDeep'],
    kind: 'objects',
    from: 1,
    pkg: 'lodash',
    fixed: '4.17.21',
  },
  {
    calls: ['lodash.set', 'lodash.setWith', 'lodash.zipObjectDeep'],
    kind: 'path',
    from: 1,
    pkg: 'lodash',
    fixed: '4.17.21',
  },
  { calls: ['lodash.merge'], kind: 'objects', from: 1, pkg: 'lodash.merge', fixed: '4.6.2' },
  { calls: ['lodash.defaultsdeep'], kind: 'objects', from: 1, pkg: 'lodash.defaultsdeep', fixed: '4.6.1' },
  // Never fixed in the standalone packages.
  { calls: ['lodash.set'], kind: 'path', from: 1, pkg: 'lodash.set', fixed: '99' },
  { calls: ['lodash.setwith'], kind: 'path', from: 1, pkg: 'lodash.setwith', fixed: '99' },
  { calls: ['jquery.extend'], kind: 'objects', from: 2, pkg: 'jquery', fixed: '3.4.0' },
  { calls: ['deepmerge', 'deepmerge.all'], kind: 'objects', from: 0, pkg: 'deepmerge', fixed: '4.2.0' },
  { calls: ['merge.recursive'], kind: 'objects', from: 1, pkg: 'merge', fixed: '2.1.1' },
  { calls: ['deep-extend'], kind: 'objects', from: 1, pkg: 'deep-extend', fixed: '0.5.1' },
  { calls: ['mixin-deep'], kind: 'objects', from: 1, pkg: 'mixin-deep', fixed: '2.0.1' },
  { calls: ['dot-prop.set'], kind: 'path', from: 1, pkg: 'dot-prop', fixed: '5.1.1' },
  { calls: ['object-path.set'], kind: 'path', from: 1, pkg: 'object-path', fixed: '0.11.8' },
  { calls: ['set-value'], kind: 'path', from: 1, pkg: 'set-value', fixed: '4.0.1' },
];

/** The lowest release the project allows is before the fix (an exact pin, or a floor below it). */
function vulnerable(declared: DeclaredVersion | undefined, fixed: string): boolean {
  return !!declared && declared.kind !== 'any' && compareVersions(declared.version, fixed) < 0;
}

/** Text of a function that guards the keys it copies (or copies into a prototype-free object). */
const GUARDED =
  /__proto__|['"`]constructor['"`]|['"`]prototype['"`]|hasOwnProperty|hasOwn\b|Object\.create\(\s*null|isSafeKey|isUnsafe|isPrototypePolluted|Object\.freeze/;

/** A function of the project that copies keys into an object, found by its structure. */
interface OwnMerge {
  node: Node;
  /** `objects`: the parameters from 1 on are objects merged in; `path`: `key` is a dotted key path. */
  kind: 'objects' | 'path';
  /** The parameter that pollutes: the first object merged in, or the key path. */
  param: number;
}

/**
 * The project's own deep merges and key-path setters in this module, by name, unless the function
 * checks the keys or uses a prototype-free object:
 * - a merge: two or more parameters, walks the keys of one (`for...in`, `Object.keys`/`entries`),
 *   calls itself and assigns `target[key] = ...`;
 * - a key-path setter: a parameter split on dots (`key.split('.')`), a call to itself and an
 *   assignment by a computed key (`obj[first] = f(obj[first] || {}, rest, value)`), or a loop
 *   that descends (`cur = cur[k]`, a `reduce` over the parts) and assigns by a computed key.
 */
function ownMerges(module: JsModule): Map<string, OwnMerge> {
  const out = new Map<string, OwnMerge>();
  for (const n of module.file.tree.rootNode.descendantsOfType([...FUNCTION_TYPES])) {
    const name = functionName(n);
    const params =
      n.childForFieldName('parameters')?.namedChildren.filter((p) => !p.type.includes('comment')) ?? [];
    const body = n.childForFieldName('body');
    if (!name || params.length < 2 || !body) continue;
    const text = body.text;
    if (GUARDED.test(text)) continue;
    const recursive = recurses(text, name) && /\w+\s*\[\s*\w+\s*\]\s*=[^=]/.test(text);
    if (
      recursive &&
      /\bfor\s*\(\s*(const|let|var)\s+\w+\s+in\b|Object\.(keys|entries)\(/.test(text) &&
      mergesIntoTarget(body, name, params)
    ) {
      out.set(name, { node: n, kind: 'objects', param: 1 });
      continue;
    }
    const path = params.findIndex((p) => {
      const param = parameterName(p);
      return param !== undefined && new RegExp(`\\b${param}\\.split\\(\\s*['"\`]\\.['"\`]\\s*\\)`).test(text);
    });
    if (path < 0) continue;
    // Recursing on the rest of the path, or walking it in a loop: descending (`cur = cur[k]`, a
    // `reduce` over the parts) and assigning by a computed key at the end.
    // The assignment is by a key that is not a constant (`query['$in'] = ...` is no step of the
    // path), and in a loop on the variable that descends (`cur[k] = ...` after `cur = cur[k]`):
    // a walk that only reads, next to an assignment elsewhere, sets nothing along the path.
    const assigns = (v: string): boolean =>
      new RegExp(`\\b${v}\\s*\\[\\s*(?!['"\`])(?:[^[\\]=]|\\[[^\\]]*\\])+\\]\\s*=[^=]`).test(text);
    const descending = [...text.matchAll(/(\w+)\s*=\s*\(?\s*\1\s*\[/g)].map((m) => m[1]);
    const walks =
      /\b(for|while)\s*\(|\.(reduce|forEach)\(/.test(text) &&
      (descending.some(assigns) || (/\.reduce\(/.test(text) && assigns('\\w+')));
    if (recursive || walks) out.set(name, { node: n, kind: 'path', param: path });
  }
  return out;
}

/**
 * Whether a recursive walk merges into what it writes: the object it assigns by key is a parameter
 * (the caller's target) or a member of it goes into the recursive call (`merge(out[k], src[k])`).
 * A copy that builds a fresh object at each level and recurses into the source only
 * (`answer[key] = copy(object[key])`) sets, with the key `__proto__`, the prototype of its own new
 * object, never `Object.prototype`.
 */
function mergesIntoTarget(body: Node, name: string, params: readonly Node[]): boolean {
  const written = new Set([...body.text.matchAll(/([\w$]+)\s*\[[^\]=]+\]\s*=[^=]/g)].map((m) => m[1]));
  const names = new Set(params.map((p) => parameterName(p) ?? p.text));
  if ([...written].some((w) => names.has(w))) return true;
  const inner = body
    .descendantsOfType('call_expression')
    .filter((c) => c.childForFieldName('function')?.text === name)
    .map((c) => c.childForFieldName('arguments')?.text ?? '');
  return [...written].some((w) =>
    inner.some((args) => new RegExp(`(^|[^\\w$.])${escapeRegExp(w)}\\s*\\[`).test(args)),
  );
}

function recurses(text: string, name: string): boolean {
  return new RegExp(`(^|[^.\\w])${name}\\s*\\(`).test(text);
}

function functionName(fn: Node): string | undefined {
  const own = fn.childForFieldName('name');
  if (own) return own.text;
  const parent = fn.parent;
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  return undefined;
}

type Tainted = Extract<TaintTrace, { kind: 'tainted' }>;

export default defineRule({
  id: 'javascript/prototype-pollution',
  title: 'Request objects merged into objects by key',
  cwe: 1321,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: [
    'merge',
    'Merge',
    'extend',
    'defaultsDeep',
    'set',
    'zipObjectDeep',
    'assign',
    '][',
    '].',
    'split',
  ],
  description:
    'An object the client sends (`req.body`, `req.query`, parsed JSON) is merged recursively into ' +
    'another, or its text names a key path to set: a key `__proto__` (or `constructor.prototype`) ' +
    'then writes to `Object.prototype`, and every object of the process gets the property: ' +
    'authorization checks read it, templates and child processes may run it. Reported: the ' +
    "project's own recursive merge (a function that walks keys, calls itself and assigns by key into " +
    'its target, a parameter or an object whose member it recurses into, without checking the key or ' +
    'using `Object.create(null)`; a copy into a new object that recurses into the source only is ' +
    'not a merge) given request data, and its own ' +
    "key-path setter (`key.split('.')`, then a call to itself, `obj[first] = f(obj[first] || {}, ...)`, or a " +
    'loop that descends `cur = cur[k]` and assigns `cur[k]` by a key that is no constant) ' +
    'given request text as the path, at the call, or at the function when the call is in another file; ' +
    '`obj[a][b] = value` with `a` and `b` from the request; `obj[k].prop = value` (or `+=`) with `k` ' +
    'from the request (`obj.__proto__` is `Object.prototype`); and library merges and setters (lodash ' +
    '`merge`/`mergeWith`/`defaultsDeep`/`set`/`setWith`/`zipObjectDeep`, jQuery `extend(true, ...)`, ' +
    '`deepmerge`, `merge.recursive`, `deep-extend`, `mixin-deep`, `dot-prop`, `object-path`, ' +
    '`set-value`) only when the project declares a release before the fix.',
  fix: 'Skip the keys `__proto__`, `constructor` and `prototype` (or copy only own keys into `Object.create(null)`/a `Map`); validate request objects against a schema first; upgrade the library.',
  example: {
    bad: 'for (const k in src) { if (isObject(src[k])) merge(dst[k], src[k]); else dst[k] = src[k]; }',
    good: "for (const k of Object.keys(src)) { if (k === '__proto__' || k === 'constructor') continue; /* ... */ }",
  },
  taint: {},
  check({ module, taint, project, report }) {
    if (taint.sourceFree) return;
    const user = { trust: ['user', 'admin'] as const };
    // An object the client sent (text cannot pollute by merging, see TEXT_SAFE_CWES).
    const asObject = (n: Node): Tainted | undefined => {
      const t = taint.trace(n, { cwe: 943, ...user });
      return t.kind === 'tainted' ? t : undefined;
    };
    const asText = (n: Node): Tainted | undefined => {
      const t = taint.trace(n, { cwe: 1321, ...user });
      return t.kind === 'tainted' ? t : undefined;
    };
    // One key of one lookup: text with constant text that no inherited name has (`${a}-${b}`) picks
    // an own entry, never `__proto__` (see OWN_KEY_CWES); a key path is split later, so not there.
    const asKey = (n: Node): Tainted | undefined => {
      const t = taint.trace(n, { cwe: 470, ...user });
      return t.kind === 'tainted' ? t : undefined;
    };
    const emit = (call: JsCall, arg: Node, trace: Tainted, what: string, own?: OwnMerge): void => {
      const label = callLabel(call, module);
      // The project's own merge or setter: the flow goes on to the write by key inside it.
      const write = own && keyedWrite(own.node);
      report({
        node: call.node,
        message: `${label} ${what} \`${codeOf(arg, 40)}\`, built from ${describeSource(trace.sources[0])}: a \`__proto__\` key in it writes to \`Object.prototype\` for the whole process.`,
        flow: [
          ...taint.flowTo(trace, call.node, `reaches ${label}`),
          ...(write
            ? [
                {
                  location: module.file.location(write),
                  note: `\`${codeOf(write, 40)}\` writes by a key of it, unchecked`,
                },
              ]
            : []),
        ],
        sources: trace.sources,
      });
    };

    const merges = ownMerges(module);
    const reportedMerges = new Set<string>();
    for (const call of module.calls) {
      const written = call.functionNode && unwrap(call.functionNode);
      if (written?.type === 'identifier' && merges.has(written.text)) {
        const own = merges.get(written.text)!;
        // Not the recursive call inside the merge itself.
        if (call.node.startIndex >= own.node.startIndex && call.node.endIndex <= own.node.endIndex) continue;
        if (own.kind === 'path') {
          const arg = call.args[own.param];
          const t = arg && asText(arg);
          if (t) {
            emit(
              call,
              arg,
              t,
              '(a key-path setter of this project that does not skip `__proto__`) sets the key path',
              own,
            );
            reportedMerges.add(written.text);
          }
          continue;
        }
        for (const arg of call.args.slice(own.param)) {
          const t = asObject(arg);
          if (t) {
            emit(
              call,
              arg,
              t,
              `(a recursive merge of this project that does not skip \`__proto__\`) merges in`,
              own,
            );
            reportedMerges.add(written.text);
            break;
          }
        }
        continue;
      }
      const lib = LIBRARY.find((l) => call.callee !== undefined && l.calls.includes(call.callee));
      if (!lib || !vulnerable(project.dependencies[lib.pkg], lib.fixed)) continue;
      if (lib.pkg === 'jquery' && call.args[0]?.type !== 'true') continue;
      const version = project.dependencies[lib.pkg] as { version: string };
      const what = `(${lib.pkg} ${version.version}, before the fix in ${lib.fixed})`;
      if (lib.kind === 'path') {
        const arg = call.args[lib.from];
        const t = arg && asText(arg);
        if (t) emit(call, arg, t, `${what} sets the key path`);
        continue;
      }
      for (const arg of call.args.slice(lib.from)) {
        const t = asObject(arg);
        if (t) {
          emit(call, arg, t, `${what} merges in`);
          break;
        }
      }
    }

    // A merge or key-path setter called from another module (its calls here are reported above):
    // request data reaches its parameter, from a source in another file.
    for (const [name, own] of merges) {
      if (reportedMerges.has(name)) continue;
      const param = parameterUse(own);
      if (!param) continue;
      const t = own.kind === 'path' ? asText(param) : asObject(param);
      if (!t || t.sources[0].location.file === module.file.path) continue;
      const what =
        own.kind === 'path'
          ? `its key path \`${param.text}\` is`
          : `the object \`${param.text}\` it merges in is`;
      report({
        node: own.node.childForFieldName('name') ?? own.node,
        message: `\`${name}\` (a ${own.kind === 'path' ? 'key-path setter' : 'recursive merge'} of this project that does not skip \`__proto__\`) is called with request data: ${what} built from ${describeSource(t.sources[0])} in ${t.sources[0].location.file.split('/').pop()}, and a \`__proto__\` key writes to \`Object.prototype\` for the whole process.`,
        flow: taint.flowTo(t, param, `reaches ${name}`),
        sources: t.sources,
      });
    }

    // `obj[a][b] = value` with both keys from the request.
    const assignments = /\]\s*(\[|\.)/.test(module.file.text)
      ? module.file.tree.rootNode.descendantsOfType([
          'assignment_expression',
          'augmented_assignment_expression',
        ])
      : [];
    for (const n of assignments) {
      if (n.type === 'augmented_assignment_expression' || !twoKeys(n)) {
        // `obj[k].prop = value` (or `+=`) with `k` from the request: `obj['__proto__']` is
        // `Object.prototype`, and `.prop` is set on every object.
        const left = n.childForFieldName('left');
        const outer = left && unwrap(left);
        const inner = outer?.type === 'member_expression' ? outer.childForFieldName('object') : null;
        const holder = inner && unwrap(inner);
        const k = holder?.type === 'subscript_expression' ? holder.childForFieldName('index') : null;
        const target = holder?.childForFieldName('object');
        if (
          !k ||
          !target ||
          !wholeKey(k, module) ||
          guardedAround(n) ||
          prototypeFree(target, module) ||
          freshlyAssigned(holder!, n)
        )
          continue;
        const t = asKey(k);
        if (t)
          report({
            node: n,
            message: `\`${codeOf(outer!, 40)} ${n.childForFieldName('operator')?.text ?? '='} ...\` picks the object by a key from ${describeSource(t.sources[0])}: with the key \`__proto__\`, \`${codeOf(holder!, 30)}\` is \`Object.prototype\` and the property is set for every object of the process.`,
            flow: taint.flowTo(t, n, 'used as the key of the object whose property is set'),
            sources: t.sources,
          });
        continue;
      }
      {
        const left = n.childForFieldName('left');
        const outer = left && unwrap(left);
        const inner = outer?.type === 'subscript_expression' ? outer.childForFieldName('object') : null;
        const a = inner?.type === 'subscript_expression' ? inner.childForFieldName('index') : null;
        const b = outer?.childForFieldName('index');
        const target = inner?.childForFieldName('object');
        if (
          a &&
          b &&
          wholeKey(a, module) &&
          wholeKey(b, module) &&
          !guardedAround(n) &&
          !(target && prototypeFree(target, module))
        ) {
          const ta = asKey(a);
          const tb = ta && asKey(b);
          if (ta && tb)
            report({
              node: n,
              message: `\`${codeOf(outer!, 40)} = ...\` writes a property both of whose keys come from ${describeSource(ta.sources[0])}: keys \`__proto__\` and a name set that name on \`Object.prototype\` for the whole process.`,
              flow: taint.flowTo(ta, n, 'used as the first key of a nested assignment'),
              sources: ta.sources,
            });
        }
      }
    }
  },
});

/**
 * The first assignment by a key that is no constant in a merge or setter's own body (`obj[k] = ...`,
 * not in a function written inside it): where a `__proto__` key writes.
 */
function keyedWrite(fn: Node): Node | undefined {
  const body = fn.childForFieldName('body');
  return body?.descendantsOfType('assignment_expression').find((a) => {
    const left = a.childForFieldName('left');
    const target = left && unwrap(left);
    const index = target?.type === 'subscript_expression' ? target.childForFieldName('index') : null;
    if (!index || ['string', 'number'].includes(unwrap(index).type)) return false;
    for (let p = a.parent; p && p.id !== fn.id; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return false;
    return true;
  });
}

/** The function around the assignment checks the keys. */
function guardedAround(n: Node): boolean {
  let f: Node | null = n.parent;
  while (f && !FUNCTION_TYPES.has(f.type)) f = f.parent;
  return GUARDED.test((f ?? n).text);
}

/** `obj[a][b] = ...`: two computed keys. */
function twoKeys(n: Node): boolean {
  const left = n.childForFieldName('left');
  const outer = left && unwrap(left);
  const inner = outer?.type === 'subscript_expression' ? outer.childForFieldName('object') : null;
  return !!inner && unwrap(inner).type === 'subscript_expression';
}

/** The first use of the merge's polluting parameter in its body (what the dataflow tracks). */
function parameterUse(own: OwnMerge): Node | undefined {
  const params = own.node
    .childForFieldName('parameters')
    ?.namedChildren.filter((p) => !p.type.includes('comment'));
  const param = params?.[own.param];
  const name = param && parameterName(param);
  const body = own.node.childForFieldName('body');
  if (!name || !body) return undefined;
  return body.descendantsOfType('identifier').find((i) => i.text === name);
}

/**
 * `obj[k] = {...}` (a new object) runs before the assignment whatever the key, as a statement of a
 * block around it: `obj['__proto__'] = {}` replaces `obj`'s own prototype, and `obj[k].prop` then
 * writes to that new object, not to `Object.prototype`.
 */
function freshlyAssigned(holder: Node, n: Node): boolean {
  for (let block: Node | null = n.parent; block && !FUNCTION_TYPES.has(block.type); block = block.parent) {
    if (block.type !== 'statement_block' && block.type !== 'program') continue;
    for (const statement of block.namedChildren) {
      if (statement.startIndex >= n.startIndex) break;
      const e = statement.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
      const right = e?.type === 'assignment_expression' ? e.childForFieldName('right') : undefined;
      const left = e?.childForFieldName('left');
      if (
        left &&
        right &&
        unwrap(left).text === holder.text &&
        ['object', 'array', 'new_expression'].includes(unwrap(right).type)
      )
        return true;
    }
  }
  return false;
}
