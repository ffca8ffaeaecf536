import { isTestFile } from '../../test-files.js';
import { listCode } from '../../helpers/messages.js';
import {
  aggregate,
  definitions,
  displayName,
  docstringOf,
  isDunder,
  isOverloadOrOverride,
  isPublic,
  isStubBody,
  overridesLocalBase,
} from '../../helpers/suggestions.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'python/suggest-docstrings',
  title: 'Public module, class or function without a docstring',
  cwe: 1059,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['python'],
  description:
    'A public module, class, function or method has no docstring, so `help()`, IDEs and generated API ' +
    'documentation show nothing, and callers have to read the body to learn what it expects, returns ' +
    'and raises.',
  fix: 'Add docstrings that say what each one does, expects and returns, and which errors it raises (PEP 257).',
  example: {
    bad: 'def load(path):\n    ...',
    good: 'def load(path):\n    """Read the settings file at `path`; raise OSError when it is missing."""',
  },
  check({ module, report }) {
    if (isTestFile(module.file.path)) return;
    const root = module.file.tree.rootNode;
    const all = definitions(root);
    const missing = all.filter(
      (d) =>
        isPublic(d) &&
        !isDunder(d.name) &&
        !isOverloadOrOverride(d) &&
        !isStubBody(d.body) &&
        !overridesLocalBase(d, all) &&
        !docstringOf(d.body),
    );
    const sites: { node: Node; name: string }[] = missing.map((d) => ({
      node: d.node,
      name: displayName(d),
    }));
    const firstStatement = root.namedChildren.find((c) => c !== null && c.type !== 'comment');
    const moduleMissing = firstStatement && !docstringOf(root) && all.some(isPublic);
    if (moduleMissing) sites.push({ node: firstStatement, name: '' });
    const found = aggregate(sites);
    if (!found) return;
    const names = found.sites.filter((s) => s.name).map((s) => s.name);
    const subject = [
      ...(moduleMissing ? ['The module'] : []),
      ...(names.length
        ? [`${names.length} public ${names.length === 1 ? 'definition' : 'definitions'}`]
        : []),
    ].join(' and ');
    const verb = Number(!!moduleMissing) + names.length === 1 ? 'has' : 'have';
    report({
      node: found.node,
      lines: found.lines,
      message: `${subject} ${verb} no docstring${names.length ? `: ${listCode(names)}` : ''}.`,
    });
  },
});
