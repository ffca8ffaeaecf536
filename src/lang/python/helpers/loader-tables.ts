/**
 * Tables of classes looked up by a key (`SERIALIZERS[content_type]`, `FORMATS.get(name, Json)`): a
 * registry that picks an implementation by a name. When the key comes from the request, the client
 * picks the entry, so every entry of the table is what the code runs; a rule asks what the entries
 * do (`python/unsafe-deserialization`: whether one loads with pickle).
 */
import type { Node } from '../../../parsing/parser.js';
import { REQUEST_ENDING_CALLS } from '../models/index.js';
import { enclosingFunction } from './functions.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';

/** A lookup in a table by a key: `T[k]`, `T.get(k)`, `T.get(k, default)`. */
export interface TableLookup {
  /** The whole lookup expression (what is reported). */
  node: Node;
  /** The table's name as written (an identifier or a dotted name). */
  table: Node;
  key: Node;
}

/** A class a table holds: its definition and the model of the module that holds it. */
export interface TableEntry {
  node: Node;
  module: PythonModule;
  name: string;
}

const named = (n: Node | null | undefined): Node[] =>
  (n?.namedChildren ?? []).filter((c): c is Node => c !== null && c.type !== 'comment');

/** The lookups by key in the module: subscripts and `.get(key, ...)` calls on a name. */
export function tableLookups(module: PythonModule): TableLookup[] {
  const out: TableLookup[] = [];
  const root = module.file.tree.rootNode;
  for (const s of root.descendantsOfType('subscript')) {
    const table = s.childForFieldName('value');
    const keys = s.childrenForFieldName('subscript').filter((k): k is Node => k !== null);
    if (!table || keys.length !== 1 || !isName(table)) continue;
    // A write (`T[k] = v`) registers an entry; only reads pick one.
    if (s.parent?.type === 'assignment' && s.parent.childForFieldName('left')?.id === s.id) continue;
    out.push({ node: s, table, key: keys[0] });
  }
  for (const call of module.calls) {
    if (call.methodName !== 'get') continue;
    const fn = call.functionNode;
    const table = fn?.childForFieldName('object');
    const key = call.args[0];
    if (!table || !key || !isName(table) || call.args.length > 2 || call.kwargs.size) continue;
    out.push({ node: call.node, table, key });
  }
  return out;
}

function isName(n: Node): boolean {
  return n.type === 'identifier' || (n.type === 'attribute' && isName(n.childForFieldName('object')!));
}

/**
 * The classes a table's entries name, when the table is a dict bound once at module level in this
 * module or another of the project (a literal, or a comprehension over a list of names written
 * out: `{s.media_type: s for s in [Json, Pickle]}`). Undefined when that is not known.
 */
export function tableClasses(lookup: TableLookup, module: PythonModule): TableEntry[] | undefined {
  const local = lookup.table.type === 'identifier' ? module.singleValue(lookup.table) : undefined;
  const found = local ? { module, value: local } : module.importedTable(lookup.table);
  if (!found) return undefined;
  const names = entryNames(found.value);
  if (!names?.length) return undefined;
  const out: TableEntry[] = [];
  for (const n of names) {
    const def = found.module.singleDefinition(n);
    if (def?.type === 'class_definition') {
      out.push({ node: def, module: found.module, name: n.text });
      continue;
    }
    const imported = found.module.importedClass(n);
    if (imported) out.push({ node: imported.node, module: imported.module, name: n.text });
  }
  return out;
}

/** The names a dict's values are written as: `{k: A, ...}`, or `{... : s for s in [A, B]}`. */
function entryNames(value: Node): Node[] | undefined {
  if (value.type === 'dictionary')
    return named(value)
      .filter((p) => p.type === 'pair')
      .map((p) => p.childForFieldName('value'))
      .filter((v): v is Node => v?.type === 'identifier');
  if (value.type !== 'dictionary_comprehension') return undefined;
  const body = value.childForFieldName('body');
  const clauses = named(value).filter((c) => c.type === 'for_in_clause');
  if (body?.type !== 'pair' || clauses.length !== 1) return undefined;
  const variable = clauses[0].childForFieldName('left');
  const items = clauses[0].childForFieldName('right');
  // The entry is the loop's item itself.
  if (variable?.type !== 'identifier' || body.childForFieldName('value')?.text !== variable.text)
    return undefined;
  if (items?.type !== 'list' && items?.type !== 'tuple') return undefined;
  return named(items).filter((v) => v.type === 'identifier');
}

/** The calls written in a class's body (its methods'), in its module. */
export function callsInClass(entry: TableEntry): CallSite[] {
  const { startIndex, endIndex } = entry.node;
  return entry.module.calls.filter((c) => c.node.startIndex >= startIndex && c.node.endIndex <= endIndex);
}

/**
 * Whether the function holding the lookup rejects a value of the key before it (`if key == X:
 * raise ...`, also as one of the conditions joined by `and`): the code decides which entries a
 * client may name, so the lookup is no longer the client's free choice.
 */
export function keyRejectedBefore(lookup: TableLookup, module: PythonModule): boolean {
  const key = lookup.key;
  if (key.type !== 'identifier') return false;
  const fn = enclosingFunction(lookup.node);
  if (!fn) return false;
  for (const stmt of fn.descendantsOfType('if_statement')) {
    if (stmt.endIndex > lookup.node.startIndex) continue;
    const cond = stmt.childForFieldName('condition');
    const body = stmt.childForFieldName('consequence');
    if (!cond || !body || !comparesKey(cond, key.text)) continue;
    if (endsRequest(named(body).pop(), module)) return true;
  }
  return false;
}

/** A statement after which the view goes no further: `raise`, `return`, `abort(415)`. */
function endsRequest(stmt: Node | undefined, module: PythonModule): boolean {
  if (!stmt) return false;
  if (stmt.type === 'raise_statement' || stmt.type === 'return_statement') return true;
  const call = stmt.type === 'expression_statement' ? named(stmt)[0] : undefined;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  return !!fn && REQUEST_ENDING_CALLS.has(module.qualifiedName(fn) ?? '');
}

/** A condition that compares the key with a value, alone or joined to others by `and`. */
function comparesKey(cond: Node, key: string): boolean {
  if (cond.type === 'parenthesized_expression') return named(cond).some((c) => comparesKey(c, key));
  if (cond.type === 'boolean_operator' && cond.childForFieldName('operator')?.type === 'and')
    return (
      comparesKey(cond.childForFieldName('left')!, key) || comparesKey(cond.childForFieldName('right')!, key)
    );
  if (cond.type !== 'comparison_operator') return false;
  const parts = named(cond);
  const ops = cond.children.filter((c): c is Node => c !== null && !c.isNamed).map((c) => c.type);
  return (
    parts.some((p) => p.type === 'identifier' && p.text === key) && ops.some((o) => o === '==' || o === 'in')
  );
}
