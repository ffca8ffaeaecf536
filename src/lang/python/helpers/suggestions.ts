import type { Node } from '../../../parsing/parser.js';

/**
 * Shapes shared by the improvement-suggestion rules (python/suggest-*): definitions and whether
 * they are public, and the aggregation of many sites into one suggestion per file.
 */

/** A function or class definition with what the suggestion checks need to know about it. */
export interface Definition {
  node: Node;
  name: string;
  kind: 'function' | 'method' | 'class';
  /** The enclosing class of a method. */
  owner?: Definition;
  /** Defined inside a function: an implementation detail, never public. */
  nested: boolean;
  /** Decorator texts without `@` (`property`, `app.route("/")`). */
  decorators: string[];
  body: Node | null;
}

/**
 * Five suggestion rules ask for the definitions of the same tree; the walk is made once per tree
 * (a root node object lives as long as its tree).
 */
const definitionsByRoot = new WeakMap<Node, readonly Definition[]>();

/** Every function and class definition, outermost first. */
export function definitions(root: Node): readonly Definition[] {
  let found = definitionsByRoot.get(root);
  if (!found) {
    found = findDefinitions(root);
    definitionsByRoot.set(root, found);
  }
  return found;
}

function findDefinitions(root: Node): Definition[] {
  const out: Definition[] = [];
  const visit = (node: Node, owner: Definition | undefined, inFunction: boolean): void => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      let def = child;
      const decorators: string[] = [];
      if (child.type === 'decorated_definition') {
        for (const d of child.namedChildren) {
          if (d?.type === 'decorator') decorators.push(d.text.replace(/^@\s*/, ''));
        }
        def = child.childForFieldName('definition') ?? child;
      }
      if (def.type === 'function_definition' || def.type === 'class_definition') {
        const name = def.childForFieldName('name')?.text ?? '';
        const kind = def.type === 'class_definition' ? 'class' : owner ? 'method' : 'function';
        const d: Definition = {
          node: def,
          name,
          kind,
          ...(owner ? { owner } : {}),
          nested: inFunction,
          decorators,
          body: def.childForFieldName('body'),
        };
        out.push(d);
        const body = d.body;
        if (body) visit(body, kind === 'class' ? d : undefined, inFunction || kind !== 'class');
      } else if (COMPOUND.has(child.type) || child.type === 'block' || child.type.endsWith('_clause')) {
        visit(child, owner, inFunction);
      }
    }
  };
  visit(root, undefined, false);
  return out;
}

/** Statements with nested blocks, where definitions may hide (`if TYPE_CHECKING:`, `try:`). */
const COMPOUND = new Set([
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'with_statement',
  'match_statement',
  'else_clause',
  'elif_clause',
  'except_clause',
  'finally_clause',
  'case_clause',
]);

export function isDunder(name: string): boolean {
  return /^__\w+__$/.test(name);
}

/** Part of the module's interface: not underscored, not nested in a function, owner public too. */
export function isPublic(d: Definition): boolean {
  if (d.nested || d.name.startsWith('_')) return false;
  return d.owner ? isPublic(d.owner) : true;
}

/** Decorators that mark a definition whose documentation and signature live elsewhere. */
export function isOverloadOrOverride(d: Definition): boolean {
  return d.decorators.some((t) => /^(\w+\.)?(overload|override)$/.test(t) || /\.setter$|\.deleter$/.test(t));
}

export { aggregate, lineOf, listingSuggestion } from '../../../rules/suggestions.js';

const NESTED_SCOPES = ['function_definition', 'class_definition', 'lambda'];

/**
 * Every descendant of `root` (not `root` itself) of the given types, skipping nested scopes if
 * asked, in document order. The search runs inside tree-sitter (`descendantsOfType`), so only the
 * matches cross into JavaScript; a nested scope that is itself of a wanted type is kept.
 */
export function descendants(root: Node, types: ReadonlySet<string>, skipScopes = false): Node[] {
  const wanted = skipScopes ? [...new Set([...types, ...NESTED_SCOPES])] : [...types];
  const out: Node[] = [];
  const rootId = root.id;
  let skipUntil = -1;
  for (const n of root.descendantsOfType(wanted)) {
    if (!n || n.id === rootId || n.startIndex < skipUntil) continue;
    const type = n.type;
    if (type === 'lambda' && !n.isNamed) continue; // the keyword token shares the name
    if (types.has(type)) out.push(n);
    if (skipScopes && NESTED_SCOPES.includes(type)) skipUntil = n.endIndex;
  }
  return out;
}

/** The docstring of a module or definition body: a string as its first statement. */
export function docstringOf(body: Node | null): Node | undefined {
  let first = body?.firstNamedChild;
  while (first?.type === 'comment') first = first.nextNamedSibling;
  const expr = first?.type === 'expression_statement' ? first.firstNamedChild : undefined;
  return expr && (expr.type === 'string' || expr.type === 'concatenated_string') ? expr : undefined;
}

/** A body that is only `...` or `pass`: a stub, protocol or abstract placeholder. */
export function isStubBody(body: Node | null): boolean {
  const statements = body?.namedChildren.filter((c) => c !== null && c.type !== 'comment') ?? [];
  return statements.every((c) => c?.type === 'pass_statement' || c?.text.trim() === '...');
}

/** "Store.get" for a method, "load" for a function. */
export function displayName(d: Definition): string {
  return d.owner ? `${displayName(d.owner)}.${d.name}` : d.name;
}

/**
 * A method that a base class defined in the same module also defines: it inherits that
 * definition's documentation and signature (`class Fast(Base): def run(self)` over `Base.run`).
 */
export function overridesLocalBase(d: Definition, all: readonly Definition[]): boolean {
  if (d.kind !== 'method' || !d.owner) return false;
  const bases = d.owner.node.childForFieldName('superclasses')?.namedChildren ?? [];
  const baseNames = new Set(bases.map((b) => b?.text.split('.').pop()));
  const owners = methodOwners(all).get(d.name);
  return owners !== undefined && owners.some((name) => baseNames.has(name));
}

/** Asked once per method, a scan of every definition made the check quadratic in a large module. */
const ownersByList = new WeakMap<readonly Definition[], Map<string, string[]>>();

/** The names of the classes that define each method name. */
function methodOwners(all: readonly Definition[]): Map<string, string[]> {
  let owners = ownersByList.get(all);
  if (!owners) {
    owners = new Map();
    for (const m of all) {
      if (m.kind !== 'method' || m.owner === undefined) continue;
      const list = owners.get(m.name);
      if (list) list.push(m.owner.name);
      else owners.set(m.name, [m.owner.name]);
    }
    ownersByList.set(all, owners);
  }
  return owners;
}

/** A site per function or method for which `measure` finds something to say. */
export function measureFunctions(
  root: Node,
  measure: (d: Definition, body: Node) => { node: Node; text: string } | undefined,
): { node: Node; text: string }[] {
  const sites: { node: Node; text: string }[] = [];
  for (const d of definitions(root)) {
    const site = d.kind !== 'class' && d.body ? measure(d, d.body) : undefined;
    if (site) sites.push(site);
  }
  return sites;
}
