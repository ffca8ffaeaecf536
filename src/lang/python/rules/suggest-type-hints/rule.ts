import { isTestFile } from '../../test-files.js';
import { count } from '../../helpers/messages.js';
import {
  type Definition,
  definitions,
  displayName,
  isDunder,
  isOverloadOrOverride,
  isPublic,
  listingSuggestion,
} from '../../helpers/suggestions.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const UNANNOTATED = new Set([
  'identifier',
  'default_parameter',
  'list_splat_pattern',
  'dictionary_splat_pattern',
]);

/** Parameters without an annotation (never `self`/`cls`) and whether the return type is missing. */
function missingHints(d: Definition): { params: string[]; returns: boolean } {
  const params: string[] = [];
  const list = (d.node.childForFieldName('parameters')?.namedChildren ?? []).filter(
    (p) => p?.type !== 'comment',
  );
  list.forEach((p, i) => {
    if (!p || !UNANNOTATED.has(p.type)) return;
    const name = (p.type === 'default_parameter' ? p.childForFieldName('name') : p)?.text ?? p.text;
    const receiver = d.kind === 'method' && i === 0 && !d.decorators.includes('staticmethod');
    if (!receiver) params.push(name);
  });
  const returns = d.name !== '__init__' && !d.node.childForFieldName('return_type');
  return { params, returns };
}

/** "`load` (none)", "`save` (return)", "`find` (`limit`, return)". */
function describe(d: Definition, params: string[], returns: boolean): string {
  const what = !hasAnyHint(d)
    ? 'none'
    : [...params.map((p) => `\`${p}\``), ...(returns ? ['return'] : [])].join(', ');
  return `\`${displayName(d)}\` (${what})`;
}

function hasAnyHint(d: Definition): boolean {
  return (
    d.node.childForFieldName('return_type') !== null ||
    (d.node.childForFieldName('parameters')?.namedChildren ?? []).some(
      (p) => p?.type === 'typed_parameter' || p?.type === 'typed_default_parameter',
    )
  );
}

export default defineRule({
  id: 'python/suggest-type-hints',
  title: 'Public function signature without type hints',
  cwe: 1117,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['python'],
  description:
    'A public function or method has parameters or a return value without type hints, so its ' +
    'signature does not say what it accepts and returns; type checkers cannot verify its callers and ' +
    'readers have to infer the types from the body.',
  fix: 'Annotate every parameter and the return type of public functions (PEP 484), and run a type checker such as mypy or pyright.',
  example: { bad: 'def load(path, retries=3):', good: 'def load(path: Path, retries: int = 3) -> Settings:' },
  check({ module, report }) {
    if (isTestFile(module.file.path)) return;
    const sites: { node: Node; text: string }[] = [];
    for (const d of definitions(module.file.tree.rootNode)) {
      if (d.kind === 'class' || !isPublic(d) || isOverloadOrOverride(d)) continue;
      if (isDunder(d.name) && d.name !== '__init__') continue;
      const { params, returns } = missingHints(d);
      if (params.length || returns) sites.push({ node: d.node, text: describe(d, params, returns) });
    }
    const suggestion = listingSuggestion(
      sites,
      (n, list) => `${count(n, 'public function')} ${n === 1 ? 'lacks' : 'lack'} type hints: ${list}.`,
    );
    if (suggestion) report(suggestion);
  },
});
