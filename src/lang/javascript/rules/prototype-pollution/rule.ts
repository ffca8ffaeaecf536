import type { DeclaredVersion } from '../../../../core/project.js';
import { compareVersions } from '../../../../core/project.js';
import { describeSource, type TaintTrace } from '../../../../dataflow/query.js';
import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { FUNCTION_TYPES, unwrap } from '../../semantic/scope.js';

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

/**
 * The project's own deep merges in this module, by name: a function of two or more parameters that
 * walks the keys of one (`for...in`, `Object.keys`/`entries`), calls itself, and assigns
 * `target[key] = ...`, without checking the key or using a prototype-free object.
 */
function ownMerges(module: JsModule): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const n of module.file.tree.rootNode.descendantsOfType([...FUNCTION_TYPES])) {
    const name = functionName(n);
    const params =
      n.childForFieldName('parameters')?.namedChildren.filter((p) => !p.type.includes('comment')) ?? [];
    const body = n.childForFieldName('body');
    if (name && params.length >= 2 && body && isMerge(body, name)) out.set(name, n);
  }
  return out;
}

function functionName(fn: Node): string | undefined {
  const own = fn.childForFieldName('name');
  if (own) return own.text;
  const parent = fn.parent;
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  return undefined;
}

function isMerge(body: Node, name: string): boolean {
  const text = body.text;
  if (GUARDED.test(text)) return false;
  const walksKeys = /\bfor\s*\(\s*(const|let|var)\s+\w+\s+in\b|Object\.(keys|entries)\(/.test(text);
  const recurses = new RegExp(`(^|[^.\\w])${name}\\s*\\(`).test(text);
  const assignsByKey = /\w+\s*\[\s*\w+\s*\]\s*=[^=]/.test(text);
  return walksKeys && recurses && assignsByKey;
}

type Tainted = Extract<TaintTrace, { kind: 'tainted' }>;

export default defineRule({
  id: 'javascript/prototype-pollution',
  title: 'Request objects merged into objects by key',
  cwe: 1321,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['merge', 'Merge', 'extend', 'defaultsDeep', 'set', 'zipObjectDeep', 'assign', ']['],
  description:
    'An object the client sends (`req.body`, `req.query`, parsed JSON) is merged recursively into ' +
    'another, or its text names a key path to set: a key `__proto__` (or `constructor.prototype`) ' +
    'then writes to `Object.prototype`, and every object of the process gets the property: ' +
    'authorization checks read it, templates and child processes may run it. Reported: the ' +
    "project's own recursive merge (a function that walks keys, calls itself and assigns by key, " +
    'without checking the key or using `Object.create(null)`) given request data in the same file; ' +
    '`obj[a][b] = value` with `a` and `b` from the request; and library merges and setters (lodash ' +
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
    const emit = (call: JsCall, arg: Node, trace: Tainted, what: string): void => {
      const label = callLabel(call, module);
      report({
        node: call.node,
        message: `${label} ${what} \`${codeOf(arg, 40)}\`, built from ${describeSource(trace.sources[0])}: a \`__proto__\` key in it writes to \`Object.prototype\` for the whole process.`,
        flow: taint.flowTo(trace, call.node, `reaches ${label}`),
        sources: trace.sources,
      });
    };

    const merges = ownMerges(module);
    for (const call of module.calls) {
      const written = call.functionNode && unwrap(call.functionNode);
      if (written?.type === 'identifier' && merges.has(written.text)) {
        const def = merges.get(written.text)!;
        // Not the recursive call inside the merge itself.
        if (call.node.startIndex >= def.startIndex && call.node.endIndex <= def.endIndex) continue;
        for (const arg of call.args.slice(1)) {
          const t = asObject(arg);
          if (t) {
            emit(
              call,
              arg,
              t,
              `(a recursive merge of this project that does not skip \`__proto__\`) merges in`,
            );
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

    // `obj[a][b] = value` with both keys from the request.
    const assignments = module.file.text.includes('][')
      ? module.file.tree.rootNode.descendantsOfType('assignment_expression')
      : [];
    for (const n of assignments) {
      {
        const left = n.childForFieldName('left');
        const outer = left && unwrap(left);
        const inner = outer?.type === 'subscript_expression' ? outer.childForFieldName('object') : null;
        const a = inner?.type === 'subscript_expression' ? inner.childForFieldName('index') : null;
        const b = outer?.childForFieldName('index');
        if (a && b && !guardedAround(n)) {
          const ta = asText(a);
          const tb = ta && asText(b);
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

/** The function around the assignment checks the keys. */
function guardedAround(n: Node): boolean {
  let f: Node | null = n.parent;
  while (f && !FUNCTION_TYPES.has(f.type)) f = f.parent;
  return GUARDED.test((f ?? n).text);
}
