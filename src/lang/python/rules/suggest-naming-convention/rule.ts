import { listCode } from '../../helpers/messages.js';
import { aggregate, type Definition, definitions, isDunder } from '../../helpers/suggestions.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

type Convention = 'snake_case' | 'camelCase';

const SNAKE = /^_*[a-z][a-z0-9]*(_[a-z0-9]+)+_*$/;
const CAMEL = /^_*[a-z][a-z0-9]*([A-Z][a-z0-9]*)+_*$/;

/** camelCase hooks that the standard library and common frameworks call by name. */
const REQUIRED_NAMES = new Set([
  'setUp',
  'tearDown',
  'setUpClass',
  'tearDownClass',
  'setUpModule',
  'tearDownModule',
  'asyncSetUp',
  'asyncTearDown',
]);

function conventionOf(name: string): Convention | undefined {
  if (SNAKE.test(name)) return 'snake_case';
  if (CAMEL.test(name)) return 'camelCase';
  return undefined; // one lower-case word, UPPER_CASE constants, CapWords: fit either convention
}

/** A method of a class with a base class may override a camelCase API it does not choose. */
function mayOverride(d: Definition): boolean {
  if (d.kind !== 'method' || !d.owner) return false;
  const bases = d.owner.node.childForFieldName('superclasses');
  return bases !== null && bases.namedChildren.some((b) => b !== null && b.text !== 'object');
}

function identifiersOf(target: Node): Node[] {
  if (target.type === 'identifier') return [target];
  if (['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list'].includes(target.type))
    return target.namedChildren.flatMap((c) => (c ? identifiersOf(c) : []));
  if (target.type === 'list_splat_pattern')
    return target.namedChildren.flatMap((c) => (c ? identifiersOf(c) : []));
  // self.maxRetries = ...
  if (target.type === 'attribute' && target.childForFieldName('object')?.text === 'self') {
    const attr = target.childForFieldName('attribute');
    return attr ? [attr] : [];
  }
  return [];
}

/** Names this module chooses: functions, parameters, variables and `self` attributes. */
function chosenNames(root: Node): Node[] {
  const names: Node[] = [];
  const overriding = new Set<number>();
  for (const d of definitions(root)) {
    if (d.kind === 'class') continue;
    const name = d.node.childForFieldName('name');
    if (!name || isDunder(d.name) || REQUIRED_NAMES.has(d.name)) continue;
    if (mayOverride(d) && conventionOf(d.name) === 'camelCase') {
      overriding.add(d.node.id);
      continue;
    }
    names.push(name);
  }
  for (const n of root.descendantsOfType(['function_definition', 'assignment', 'for_statement'])) {
    if (n.type === 'function_definition') {
      if (overriding.has(n.id)) continue;
      for (const p of n.childForFieldName('parameters')?.namedChildren ?? []) {
        const id = p?.type === 'identifier' ? p : (p?.childForFieldName('name') ?? p?.namedChildren[0]);
        if (id?.type === 'identifier' && id.text !== 'self' && id.text !== 'cls') names.push(id);
      }
      continue;
    }
    const left = n.childForFieldName('left');
    if (left) names.push(...identifiersOf(left));
  }
  return names;
}

function toSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
function toCamel(name: string): string {
  return name.replace(/([a-z0-9])_+([a-z0-9])/g, (_m, a: string, b: string) => a + b.toUpperCase());
}

export default defineRule({
  id: 'python/suggest-naming-convention',
  title: 'Mixed naming conventions in one module',
  cwe: 1099,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['python'],
  description:
    'The functions, parameters and variables of one module mix snake_case and camelCase. Readers then ' +
    'have to remember which spelling each name uses, and near-duplicates (`user_id` and `userId`) slip ' +
    'through review.',
  fix: 'Rename the outliers to the convention the module mostly uses; PEP 8 uses snake_case for functions and variables.',
  example: { bad: 'def getUser(user_id): ...', good: 'def get_user(user_id): ...' },
  check({ module, report }) {
    const first = new Map<string, { node: Node; convention: Convention }>();
    for (const node of chosenNames(module.file.tree.rootNode)) {
      const convention = conventionOf(node.text);
      if (convention && !first.has(node.text)) first.set(node.text, { node, convention });
    }
    const all = [...first.entries()];
    const snake = all.filter(([, v]) => v.convention === 'snake_case');
    const camel = all.filter(([, v]) => v.convention === 'camelCase');
    if (!snake.length || !camel.length) return;
    const [dominant, outliers, convention]: [typeof all, typeof all, Convention] =
      camel.length > snake.length ? [camel, snake, 'camelCase'] : [snake, camel, 'snake_case'];
    const other: Convention = convention === 'snake_case' ? 'camelCase' : 'snake_case';
    const found = aggregate(outliers.map(([name, v]) => ({ node: v.node, name })));
    if (!found) return;
    const names = found.sites.map((s) => s.name);
    const example = convention === 'snake_case' ? toSnake(names[0]) : toCamel(names[0]);
    report({
      node: found.node,
      lines: found.lines,
      message:
        `Names mostly use ${convention} (${dominant.length} names), but ${names.length} ${names.length === 1 ? 'uses' : 'use'} ` +
        `${other}: ${listCode(names)}.`,
      fix:
        convention === 'snake_case'
          ? `Rename the outliers to snake_case (\`${names[0]}\` → \`${example}\`), as PEP 8 recommends for functions and variables.`
          : `Rename the outliers to camelCase (\`${names[0]}\` → \`${example}\`) to match the module, or move the whole module to PEP 8's snake_case.`,
    });
  },
});
