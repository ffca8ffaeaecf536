/**
 * The syntax tree every analysis reads: tree-sitter's tree copied once, right after parsing, into
 * flat typed arrays (preorder), with `Node` objects made on first use.
 *
 * Why a copy: every property of a web-tree-sitter node is a call through the WebAssembly boundary
 * (marshalled through a transfer buffer), and `parent` even re-walks the tree from its root. Rules
 * and the dataflow interpreter read the same nodes many times; on a large project those calls cost
 * several times the parse itself. The copy costs about a third of the parse (see parser.ts
 * `copyTree`) and every read after it is a plain JavaScript property or array access.
 *
 * The API is the subset of web-tree-sitter's `Node` that secreview uses, with the same meaning
 * (tests/parsing/tree.test.ts compares both on real code), so rules read like tree-sitter code.
 */

export interface Point {
  /** 0-based row. */
  row: number;
  /** 0-based column in UTF-16 code units. */
  column: number;
}

/** What a grammar says about its symbols, shared by every tree of the language. */
export interface GrammarTables {
  /** Type name by symbol id (aliases included). */
  types: readonly string[];
  /** Whether the symbol is a named node. */
  named: Uint8Array;
  /** Field name by field id (0: no field). */
  fields: readonly (string | null)[];
  /** Field id by name. */
  fieldIds: ReadonlyMap<string, number>;
}

/** The flat preorder arrays of a tree: index 0 is the root. */
export interface TreeArrays {
  count: number;
  symbol: Uint16Array;
  field: Uint16Array;
  start: Uint32Array;
  end: Uint32Array;
  parent: Int32Array;
  /** Next sibling, or -1. */
  next: Int32Array;
  /** Preorder indices of ERROR and MISSING nodes, ascending. */
  errors: number[];
  /** Preorder indices of MISSING nodes (a subset of `errors`). */
  missing: Set<number>;
}

export const ERROR_SYMBOL = 65535;

/** Node ids are unique among all trees of a thread, as web-tree-sitter's are. */
let nextIdBase = 1;

export class SyntaxTree {
  readonly rootNode: Node;
  /** Undefined while released (see `release`). */
  private data?: TreeArrays;
  private nodes: (Node | undefined)[];
  /** Last preorder index inside each node's subtree. */
  private last?: Int32Array;
  private byType?: Map<string, number[]>;
  private lineStarts?: number[];
  private readonly idBase: number;
  /** Nodes in the tree (the same after a release and the parse that restores it). */
  private readonly count: number;
  /** Parses the text again: set by `evictable`, which lets the tree be released. */
  private reparse?: () => TreeArrays;

  constructor(
    readonly text: string,
    arrays: TreeArrays,
    readonly grammar: GrammarTables,
  ) {
    this.idBase = nextIdBase;
    this.count = arrays.count;
    nextIdBase += arrays.count;
    this.data = arrays;
    this.nodes = new Array(arrays.count);
    this.rootNode = this.node(0);
  }

  /** The flat arrays; a released tree parses its text again first. */
  get arrays(): TreeArrays {
    return this.data ?? this.restore();
  }

  /**
   * Lets the tree be released, given how to parse its text again. The parse is deterministic, so
   * the arrays come back the same and node ids (`idBase` + index) stay valid: nodes made before a
   * release keep working (a node is its tree and index), only their objects are new ones after.
   */
  evictable(reparse: () => TreeArrays): void {
    this.reparse = reparse;
  }

  /** Whether the arrays are in memory (not released). */
  get resident(): boolean {
    return this.data !== undefined;
  }

  /** Drops the arrays and every cache built over them, until the next read; false if not evictable. */
  release(): boolean {
    if (!this.reparse || !this.data) return false;
    this.data = undefined;
    this.last = undefined;
    this.nodes = [];
    this.byType = undefined;
    this.lineStarts = undefined;
    return true;
  }

  private restore(): TreeArrays {
    if (!this.reparse) throw new Error('a syntax tree was released without a way to parse it again');
    const arrays = this.reparse();
    if (arrays.count !== this.count)
      throw new Error('a syntax tree parsed again differs from the first parse');
    this.data = arrays;
    this.nodes = new Array(arrays.count);
    this.nodes[0] = this.rootNode;
    return arrays;
  }

  /** Kept for callers written against web-tree-sitter: the copy holds no WebAssembly memory. */
  delete(): void {}

  /** The node at a preorder index. */
  node(i: number): Node {
    return (this.nodes[i] ??= new Node(this, i));
  }

  nodeId(i: number): number {
    return this.idBase + i;
  }

  typeOf(i: number): string {
    const s = this.arrays.symbol[i];
    return s === ERROR_SYMBOL ? 'ERROR' : (this.grammar.types[s] ?? '');
  }

  isNamed(i: number): boolean {
    const s = this.arrays.symbol[i];
    return s === ERROR_SYMBOL || this.grammar.named[s] === 1;
  }

  lastDescendant(i: number): number {
    return (this.last ??= lastDescendants(this.arrays))[i];
  }

  /** Row and UTF-16 column of a text offset (tree-sitter counts rows at `\n`). */
  position(index: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo] };
  }

  /** Text offset of a row and column (the inverse of `position`). */
  offset(p: Point): number {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    if (p.row >= starts.length) return this.text.length;
    return Math.min(starts[p.row] + p.column, this.text.length);
  }

  /** Preorder indices of the nodes of a type, ascending. */
  indicesOfType(type: string): readonly number[] {
    if (!this.byType) {
      const map = new Map<string, number[]>();
      for (let i = 0; i < this.arrays.count; i++) {
        const t = this.typeOf(i);
        const list = map.get(t);
        if (list) list.push(i);
        else map.set(t, [i]);
      }
      this.byType = map;
    }
    return this.byType.get(type) ?? [];
  }
}

function lastDescendants({ count, next, parent }: TreeArrays): Int32Array {
  const last = new Int32Array(count);
  if (count) last[0] = count - 1;
  for (let i = 1; i < count; i++) last[i] = next[i] >= 0 ? next[i] - 1 : last[parent[i]];
  return last;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** First position in the ascending list whose value is >= x. */
function lowerBound(list: readonly number[], x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Node {
  /** `codeChildren`, once asked for: it lives as long as this node object (see `SyntaxTree.release`). */
  private code: Node[] | undefined = undefined;

  constructor(
    readonly tree: SyntaxTree,
    /** Preorder index in the tree. */
    readonly index: number,
  ) {}

  get id(): number {
    return this.tree.nodeId(this.index);
  }

  get type(): string {
    return this.tree.typeOf(this.index);
  }

  get isNamed(): boolean {
    return this.tree.isNamed(this.index);
  }

  get isError(): boolean {
    return this.tree.arrays.symbol[this.index] === ERROR_SYMBOL;
  }

  get isMissing(): boolean {
    return this.tree.arrays.missing.has(this.index);
  }

  /** Whether this node or a descendant is an ERROR or MISSING node. */
  get hasError(): boolean {
    const errors = this.tree.arrays.errors;
    if (!errors.length) return false;
    const k = lowerBound(errors, this.index);
    return k < errors.length && errors[k] <= this.tree.lastDescendant(this.index);
  }

  get startIndex(): number {
    return this.tree.arrays.start[this.index];
  }

  get endIndex(): number {
    return this.tree.arrays.end[this.index];
  }

  get startPosition(): Point {
    return this.tree.position(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.position(this.endIndex);
  }

  get text(): string {
    return this.tree.text.slice(this.startIndex, this.endIndex);
  }

  get parent(): Node | null {
    const p = this.tree.arrays.parent[this.index];
    return p < 0 ? null : this.tree.node(p);
  }

  /**
   * Made on each call, not kept: on a large project the pass holds many trees, and arrays kept for
   * every node they visit outweighed the trees.
   */
  get children(): Node[] {
    const out: Node[] = [];
    const { parent, next, count } = this.tree.arrays;
    const first = this.index + 1;
    if (first < count && parent[first] === this.index)
      for (let c = first; c >= 0; c = next[c]) out.push(this.tree.node(c));
    return out;
  }

  get namedChildren(): Node[] {
    const out: Node[] = [];
    const { parent, next, count } = this.tree.arrays;
    const first = this.index + 1;
    if (first < count && parent[first] === this.index)
      for (let c = first; c >= 0; c = next[c]) if (this.tree.isNamed(c)) out.push(this.tree.node(c));
    return out;
  }

  /**
   * The named children other than comments, made once per node object: the interpreters run the
   * same statements and expressions many times. Kept on the node, not in a map keyed by nodes, so
   * a lookup is a field read and a released tree lets them go with its nodes.
   */
  get codeChildren(): readonly Node[] {
    return (this.code ??= this.namedChildren.filter((n) => n.type !== 'comment'));
  }

  /** The first named child, found without making the list of children. */
  get firstNamedChild(): Node | null {
    const { parent, next, count } = this.tree.arrays;
    const first = this.index + 1;
    if (first < count && parent[first] === this.index)
      for (let c = first; c >= 0; c = next[c]) if (this.tree.isNamed(c)) return this.tree.node(c);
    return null;
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  get nextSibling(): Node | null {
    const n = this.tree.arrays.next[this.index];
    return n < 0 ? null : this.tree.node(n);
  }

  get nextNamedSibling(): Node | null {
    let n = this.nextSibling;
    while (n && !n.isNamed) n = n.nextSibling;
    return n;
  }

  /** The first child in the field, as tree-sitter's `childForFieldName`. */
  childForFieldName(name: string): Node | null {
    const id = this.tree.grammar.fieldIds.get(name);
    if (id === undefined) return null;
    const { field, parent, next, count } = this.tree.arrays;
    const first = this.index + 1;
    if (first >= count || parent[first] !== this.index) return null;
    for (let c = first; c >= 0; c = next[c]) if (field[c] === id) return this.tree.node(c);
    return null;
  }

  childrenForFieldName(name: string): Node[] {
    const id = this.tree.grammar.fieldIds.get(name);
    if (id === undefined) return [];
    const { field } = this.tree.arrays;
    return this.children.filter((c) => field[c.index] === id);
  }

  /** The field this node fills in its parent, or null. */
  get fieldName(): string | null {
    return this.tree.grammar.fields[this.tree.arrays.field[this.index]] ?? null;
  }

  /** This node and its descendants of the given types, in document order (as tree-sitter's). */
  descendantsOfType(types: string | readonly string[]): Node[] {
    const list = typeof types === 'string' ? [types] : types;
    const lo = this.index;
    const hi = this.tree.lastDescendant(this.index);
    const found: number[] = [];
    let lists = 0;
    for (const t of list) {
      const all = this.tree.indicesOfType(t);
      const from = found.length;
      for (let k = lowerBound(all, lo); k < all.length && all[k] <= hi; k++) found.push(all[k]);
      if (found.length > from) lists++;
    }
    // Rules ask the root for every string or call of a file: a typed array sorts those without
    // a comparator call per pair.
    const order = lists > 1 ? Int32Array.from(found).sort() : found;
    const out: Node[] = new Array(order.length);
    for (let k = 0; k < order.length; k++) out[k] = this.tree.node(order[k]);
    return out;
  }

  /** The nearest ancestor (or this node) of one of the types. */
  closest(types: string | readonly string[]): Node | null {
    const list = typeof types === 'string' ? [types] : types;
    const { parent } = this.tree.arrays;
    for (let i = this.index; i >= 0; i = parent[i])
      if (list.includes(this.tree.typeOf(i))) return this.tree.node(i);
    return null;
  }

  /** The deepest node that contains the point, anonymous nodes included (as tree-sitter's). */
  descendantForPosition(point: Point): Node | null {
    const at = this.tree.offset(point);
    let node = this.tree.node(this.index);
    for (;;) {
      let next: Node | undefined;
      for (const c of node.children) {
        const { startIndex: s, endIndex: e } = c;
        if (e < at) continue;
        if (e === at && s < e) continue;
        if (at < s) break;
        next = c;
        break;
      }
      if (!next) return node;
      node = next;
    }
  }

  equals(other: Node | null | undefined): boolean {
    return !!other && other.tree === this.tree && other.index === this.index;
  }
}
