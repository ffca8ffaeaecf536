/**
 * Tornado's URL table: `(r"/api/config/(?P<section_name>\w+)", ConfigHandler)` (a tuple, or
 * `url(...)`/`URLSpec(...)`) hands a request handler's HTTP methods the groups its pattern
 * matched. A group that only matches safe characters (`\w+`, `[0-9a-f]+`) gives a path argument
 * that holds no `/`, `..` or markup: it is safe for what those characters are safe for. The routes
 * are read from the module that defines the handler; every route of the handler must agree.
 */
import type { Node } from '../../../parsing/parser.js';
import { stringValue } from '../helpers/constants.js';
import type { PythonModule } from '../semantic/scope.js';
import { patternSafeCwes } from './char-classes.js';
import { field, named, textOf } from './syntax.js';

/** The pattern text of a route's first element: a constant, or `"...%s..." % CONSTANT`. */
function patternText(node: Node, module: PythonModule): string | undefined {
  if (node.type === 'binary_operator' && field(node, 'operator')?.text === '%') {
    const left = field(node, 'left');
    const right = field(node, 'right');
    const format = left ? stringValue(left, module) : undefined;
    const values = right?.type === 'tuple' ? named(right) : right ? [right] : [];
    const filled = values.map((v) => stringValue(v, module));
    if (format === undefined || filled.some((v) => v === undefined)) return undefined;
    let i = 0;
    return format.replace(/%[sr]/g, () => filled[i++] ?? '');
  }
  // Jupyter's `url_path_join(base_url, r"/proxy/(\d+)(.*)")`: the groups are in the last part.
  if (node.type === 'call' && /(^|\.)url_path_join$/.test(textOf(field(node, 'function') ?? node))) {
    const last = named(field(node, 'arguments') ?? node).at(-1);
    return last && last.type !== 'keyword_argument' ? stringValue(last, module) : undefined;
  }
  return stringValue(node, module);
}

/** The module's routes: the pattern nodes of each class's routes, by the class's name; read once per module. */
const routeTables = new WeakMap<PythonModule, Map<string, (Node | undefined)[]>>();

function routesOf(module: PythonModule): Map<string, (Node | undefined)[]> {
  let table = routeTables.get(module);
  if (table) return table;
  table = new Map();
  for (const n of module.file.tree.rootNode.descendantsOfType(['tuple', 'call'])) {
    const items =
      n.type === 'tuple'
        ? named(n)
        : /(^|\.)(url|URLSpec)$/.test(textOf(field(n, 'function') ?? n))
          ? named(field(n, 'arguments') ?? n)
          : [];
    if (items.length < 2 || items[1]?.type !== 'identifier') continue;
    const className = textOf(items[1]);
    const patterns = table.get(className) ?? [];
    patterns.push(items[0]);
    table.set(className, patterns);
  }
  routeTables.set(module, table);
  return table;
}

/** The text of the group that binds a parameter: by name (`(?P<name>...)`), else by position. */
function groupOf(pattern: string, name: string, index: number): string | undefined {
  const groups: { start: number; name?: string; body: string }[] = [];
  const open: { start: number; at: number; name?: string }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      const end = /^\[(?:\\.|[^\]\\])+\]/.exec(pattern.slice(i));
      if (end) i += end[0].length - 1;
      continue;
    }
    if (c === '(') {
      const named = /^\(\?P<(\w+)>/.exec(pattern.slice(i));
      if (named) {
        open.push({ start: i, at: i + named[0].length, name: named[1] });
        i += named[0].length - 1;
      } else if (pattern[i + 1] === '?') open.push({ start: i, at: -1 });
      else open.push({ start: i, at: i + 1 });
    } else if (c === ')') {
      const g = open.pop();
      if (g && g.at >= 0)
        groups.push({ start: g.start, ...(g.name ? { name: g.name } : {}), body: pattern.slice(g.at, i) });
    }
  }
  // Groups close inner first: order them by where they open, as Python numbers them.
  const ordered = groups.sort((a, b) => a.start - b.start);
  return (
    ordered.find((g) => g.name === name)?.body ??
    (groups.some((g) => g.name) ? undefined : ordered[index]?.body)
  );
}

/**
 * What a handler method's path argument is safe for, from the module's routes to its class: the
 * CWEs every route's group for it is safe for, or undefined when a route is not known or a group
 * may hold any text.
 */
export function routeArgumentSafeCwes(
  module: PythonModule,
  classNode: Node,
  name: string,
  index: number,
): number[] | undefined {
  const className = field(classNode, 'name')?.text;
  const patterns = className ? routesOf(module).get(className) : undefined;
  if (!patterns?.length) return undefined;
  let safe: number[] | undefined;
  for (const node of patterns) {
    const p = node ? patternText(node, module) : undefined;
    const group = p === undefined ? undefined : groupOf(p, name, index);
    const cwes = group === undefined ? undefined : patternSafeCwes(group);
    if (!cwes) return undefined;
    safe = safe ? safe.filter((c) => cwes.includes(c)) : cwes;
  }
  return safe?.length ? safe : undefined;
}

/**
 * Whether a pattern may match a path that begins with `//` (`.*` and a slash, `(.*)`): Tornado anchors
 * it at the start of the path, so only one that opens with `/` and then a fixed character other
 * than a slash (`r"/api/..."`) keeps the path on the site.
 */
function mayMatchDoubleSlash(pattern: string): boolean {
  const p = pattern.replace(/^\^/, '');
  return !/^\/(?:[A-Za-z0-9_~%-]|\\\.)/.test(p);
}

/**
 * Whether the handler class may be given a request whose own path begins with `//`: a route of
 * the module sends a pattern that can match such a path to it. A redirect to the request's own
 * path (`self.request.path`, `self.request.uri`) then leads to that other host (`//evil.example/`).
 * False when the module routes nothing to the class: the routes are then not known.
 */
export function routeMayStartWithDoubleSlash(module: PythonModule, classNode: Node): boolean {
  const className = field(classNode, 'name')?.text;
  const patterns = className ? routesOf(module).get(className) : undefined;
  return (patterns ?? []).some((node) => {
    const p = node ? patternText(node, module) : undefined;
    return p !== undefined && mayMatchDoubleSlash(p);
  });
}
