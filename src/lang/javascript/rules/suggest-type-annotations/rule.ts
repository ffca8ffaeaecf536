import type { Node } from '../../../../parsing/parser.js';
import { codeOf, count, listCode } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { listingSuggestion } from '../../../../rules/suggestions.js';
import { grammarOf, isTestCode } from '../../files.js';
import { functionLabel } from '../../helpers/suggestions.js';
import { unwrap } from '../../semantic/scope.js';

const FUNCTIONS = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_expression',
  'function',
  'arrow_function',
]);
const CLASSES = new Set(['class_declaration', 'abstract_class_declaration', 'class']);

/** A method's `get`, `set`, `static` or modifier keyword. */
function hasKeyword(method: Node, word: string): boolean {
  return method.children.some((c) => c.text === word && (!c.isNamed || c.type.endsWith('_modifier')));
}

/** Methods callers outside the module can call: not private or protected, not `#x`, not the constructor, not overrides. */
function publicMethods(cls: Node): Node[] {
  const body = cls.childForFieldName('body');
  const methods = (body?.namedChildren ?? []).filter((m) => m.type === 'method_definition');
  const overloaded = new Set(
    (body?.namedChildren ?? [])
      .filter((m) => m.type === 'method_signature' || m.type === 'abstract_method_signature')
      .map((m) => m.childForFieldName('name')?.text),
  );
  return methods.filter((m) => {
    const name = m.childForFieldName('name');
    if (!name || name.type === 'private_property_identifier' || name.text === 'constructor') return false;
    if (overloaded.has(name.text)) return false;
    if (m.namedChildren.some((c) => c.type === 'override_modifier')) return false;
    const access = m.namedChildren.find((c) => c.type === 'accessibility_modifier')?.text;
    return access !== 'private' && access !== 'protected';
  });
}

/**
 * The functions the module exports, as their callers see them: `export function`, `export default`
 * a function, `export const f = () => ...` (unless the variable is typed, which types the function),
 * public methods of exported classes, and top-level functions named in `export { f }` or
 * `export default f`. Overloaded functions are left out: their signatures are the declared ones.
 */
function exportedFunctions(root: Node): Node[] {
  const out: Node[] = [];
  const exportedNames = new Set<string>();
  const overloaded = new Set<string>();
  const fromDeclaration = (decl: Node | null): void => {
    if (!decl) return;
    if (FUNCTIONS.has(decl.type)) out.push(decl);
    else if (CLASSES.has(decl.type)) out.push(...publicMethods(decl));
    else if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
      for (const d of decl.namedChildren) {
        if (d.type !== 'variable_declarator' || d.childForFieldName('type')) continue;
        const value = d.childForFieldName('value');
        if (value && FUNCTIONS.has(unwrap(value).type)) out.push(unwrap(value));
      }
    }
  };
  const local = new Map<string, Node>();
  for (const stmt of root.namedChildren) {
    if (stmt.type === 'function_signature') overloaded.add(stmt.childForFieldName('name')?.text ?? '');
    if (stmt.type === 'export_statement') {
      if (stmt.childForFieldName('source')) continue;
      const decl = stmt.childForFieldName('declaration');
      if (decl?.type === 'function_signature') overloaded.add(decl.childForFieldName('name')?.text ?? '');
      fromDeclaration(decl);
      const value = stmt.childForFieldName('value');
      if (value?.type === 'identifier') exportedNames.add(value.text);
      else fromDeclaration(value && unwrap(value));
      for (const clause of stmt.namedChildren.filter((c) => c.type === 'export_clause'))
        for (const spec of clause.namedChildren)
          if (spec.type === 'export_specifier') exportedNames.add(spec.childForFieldName('name')?.text ?? '');
    } else {
      const names =
        stmt.type === 'lexical_declaration' || stmt.type === 'variable_declaration'
          ? stmt.namedChildren.map((d) => d.childForFieldName('name')?.text)
          : [stmt.childForFieldName('name')?.text];
      for (const name of names) if (name) local.set(name, stmt);
    }
  }
  for (const name of exportedNames) fromDeclaration(local.get(name) ?? null);
  return out.filter((fn) => {
    const name = fn.childForFieldName('name')?.text;
    return !(name !== undefined && overloaded.has(name) && fn.type === 'function_declaration');
  });
}

const isAny = (type: Node): boolean =>
  type.descendantsOfType(['predefined_type']).some((t) => t.text === 'any') ||
  (type.type === 'predefined_type' && type.text === 'any');

/**
 * A method of a class that extends another or implements an interface: it may override a method
 * whose declaration gives its contract (TypeScript checks the override against it), which this
 * rule cannot see without type information, so its return type is not asked for.
 */
function isInheritedMethod(fn: Node): boolean {
  const cls = fn.type === 'method_definition' ? fn.parent?.parent : undefined;
  return cls !== undefined && cls !== null && cls.namedChildren.some((c) => c.type === 'class_heritage');
}

const JSX = new Set(['jsx_element', 'jsx_self_closing_element', 'jsx_fragment']);

/** A component: a function that returns JSX, whose inferred type is the element type. */
function returnsJsx(fn: Node): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  if (body.type !== 'statement_block') return JSX.has(unwrap(body).type);
  return body.descendantsOfType(['return_statement']).some((r) => {
    const value = r.namedChildren.find((c) => c.type !== 'comment');
    return value !== undefined && JSX.has(unwrap(value).type);
  });
}

/**
 * What a signature leaves loose: "`any` in `opts`", "untyped `rows`", "no return type" (only when
 * the module declares return types elsewhere, see `check`).
 */
function looseParts(fn: Node, returnTypesExpected: boolean): string[] {
  const anyParams: string[] = [];
  const untyped: string[] = [];
  const single = fn.childForFieldName('parameter');
  const params = single ? [single] : (fn.childForFieldName('parameters')?.namedChildren ?? []);
  for (const p of params) {
    if (p.type === 'comment') continue;
    const pattern = p.childForFieldName('pattern') ?? p;
    if (pattern.type === 'this') continue;
    const name = codeOf(pattern, 30);
    const type = p.childForFieldName('type');
    if (type) {
      if (isAny(type)) anyParams.push(name);
    } else if (!p.childForFieldName('value')) untyped.push(name);
  }
  const parts: string[] = [];
  if (anyParams.length) parts.push(`\`any\` in ${listCode(anyParams)}`);
  if (untyped.length) parts.push(`untyped ${listCode(untyped)}`);
  const returns = fn.childForFieldName('return_type');
  if (returns && isAny(returns)) parts.push('`any` return type');
  else if (
    !returns &&
    returnTypesExpected &&
    !isInheritedMethod(fn) &&
    !(fn.type === 'method_definition' && hasKeyword(fn, 'set')) &&
    !returnsJsx(fn)
  )
    parts.push('no return type');
  return parts;
}

export default defineRule({
  id: 'javascript/suggest-type-annotations',
  title: 'Exported TypeScript function typed `any` or without a return type',
  cwe: 1117,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['javascript'],
  requires: ['export'],
  description:
    "An exported TypeScript function's signature has parameters typed `any` (or untyped, which is an " +
    'implicit `any`) or no declared return type, so the module boundary does not say what it accepts ' +
    'and returns: the type checker stops checking what flows through `any`, and a change in the body ' +
    "silently changes the function's type for every caller.",
  fix:
    'Give exported functions precise parameter types (`unknown` and a check where the type is really ' +
    'open) and an explicit return type; `noImplicitAny` and the typescript-eslint rules ' +
    '`no-explicit-any` and `explicit-module-boundary-types` keep them so.',
  example: {
    bad: 'export async function loadUser(id: any) {',
    good: 'export async function loadUser(id: string): Promise<User | undefined> {',
  },
  check({ file, report }) {
    if (grammarOf(file.path) === 'javascript' || isTestCode(file.path) || /\.d\.[cm]?ts$/i.test(file.path))
      return;
    const sites: { node: Node; text: string }[] = [];
    const exported = exportedFunctions(file.tree.rootNode);
    // A module none of whose exported functions declares a return type follows a convention of
    // inferred return types (many projects do): there only `any` is reported.
    const returnTypesExpected = exported.some((fn) => fn.childForFieldName('return_type') !== null);
    for (const fn of exported) {
      const parts = looseParts(fn, returnTypesExpected);
      if (parts.length) sites.push({ node: fn, text: `${functionLabel(fn)} (${parts.join(', ')})` });
    }
    const suggestion = listingSuggestion(
      sites,
      (n, list) => `${count(n, 'exported function')} ${n === 1 ? 'lacks' : 'lack'} precise types: ${list}.`,
    );
    if (suggestion) report(suggestion);
  },
});
