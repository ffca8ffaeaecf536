import { constantValue } from '../../semantic/constant.js';
import type { PythonModule } from '../../semantic/scope.js';
import { listCode } from '../../helpers/messages.js';
import { aggregate, descendants } from '../../helpers/suggestions.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Variables that the system, the shell or common platforms define: their names are not generic. */
const STANDARD = new Set(
  (
    'HOME PATH USER USERNAME LOGNAME SHELL TERM LANG LANGUAGE TZ TMPDIR TEMP TMP PWD EDITOR VISUAL PAGER ' +
    'NO_COLOR FORCE_COLOR CI PORT DATABASE_URL HTTP_PROXY HTTPS_PROXY NO_PROXY ALL_PROXY SSL_CERT_FILE ' +
    'SSL_CERT_DIR REQUESTS_CA_BUNDLE DISPLAY HOSTNAME COLUMNS LINES VIRTUAL_ENV APPDATA LOCALAPPDATA ' +
    'USERPROFILE PROGRAMDATA SYSTEMROOT COMSPEC'
  ).split(' '),
);
const STANDARD_PREFIX = /^(XDG_|PYTHON|LC_|GITHUB_|RUNNER_|AWS_|GOOGLE_|AZURE_|KUBERNETES_|DJANGO_|FLASK_)/;

/** Words that say nothing about which program a variable belongs to. */
const GENERIC_WORDS = new Set(
  (
    'config conf cfg configuration file files path paths dir dirs directory settings setting debug mode env ' +
    'environment level log logs logging verbose verbosity timeout host hostname url uri key keys token secret ' +
    'password pass user name value data db database api base root output input server addr address endpoint ' +
    'dev prod test testing app application service cache tmp temp workers threads max min size limit home ' +
    'port prefix region'
  ).split(' '),
);

function isGeneric(name: string): boolean {
  if (STANDARD.has(name) || STANDARD_PREFIX.test(name)) return false;
  const words = name.toLowerCase().split(/_+/).filter(Boolean);
  return words.length > 0 && words.every((w) => GENERIC_WORDS.has(w));
}

interface Read {
  node: Node;
  name: string;
  /** True when a missing variable is neither defaulted nor checked. */
  noDefault: boolean;
}

/** `os.environ.get("X")` used only as a truth value or with `or` already has a default. */
function usedAsCondition(call: Node): boolean {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (['boolean_operator', 'not_operator', 'comparison_operator'].includes(p.type)) return true;
  if (['if_statement', 'while_statement', 'elif_clause'].includes(p.type))
    return p.childForFieldName('condition')?.id === n.id;
  if (p.type === 'conditional_expression') return p.namedChildren[1]?.id === n.id;
  return false;
}

/** `x = os.environ.get("X")` followed, in the same block, by a test of `x` (`if not x: raise ...`). */
function checkedLater(call: Node): boolean {
  const assign = call.parent;
  if (assign?.type !== 'assignment' || assign.childForFieldName('right')?.id !== call.id) return false;
  const target = assign.childForFieldName('left');
  if (target?.type !== 'identifier') return false;
  const block = assign.parent?.parent;
  if (!block) return false;
  return descendants(block, new Set(['if_statement'])).some(
    (s) =>
      s.startIndex > assign.endIndex &&
      descendants(s.childForFieldName('condition') ?? s, new Set(['identifier'])).some(
        (i) => i.text === target.text,
      ),
  );
}

/** Inside `try:` whose handlers catch KeyError (or anything broader). */
function keyErrorHandled(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return false;
    if (n.type !== 'try_statement') continue;
    const inBody = n.childForFieldName('body');
    if (!inBody || node.startIndex < inBody.startIndex || node.endIndex > inBody.endIndex) continue;
    for (const c of n.namedChildren) {
      if (c?.type !== 'except_clause') continue;
      const caught = c.namedChildren.find((x) => x?.type !== 'block' && x?.type !== 'comment');
      if (!caught || /\b(KeyError|LookupError|Exception|BaseException)\b/.test(caught.text)) return true;
    }
  }
  return false;
}

function environmentReads(module: PythonModule): Read[] {
  const reads: Read[] = [];
  const nameOf = (n: Node | undefined): string | undefined => {
    const v = n && constantValue(n, module);
    return typeof v?.value === 'string' ? v.value : undefined;
  };
  for (const call of module.calls) {
    if (call.callee !== 'os.getenv' && call.callee !== 'os.environ.get') continue;
    const name = nameOf(call.argument(0, 'key'));
    if (!name) continue;
    const hasDefault = call.args.length > 1 || call.kwargs.has('default') || call.hasSplat;
    reads.push({
      node: call.node,
      name,
      noDefault: !hasDefault && !usedAsCondition(call.node) && !checkedLater(call.node),
    });
  }
  for (const sub of descendants(module.file.tree.rootNode, new Set(['subscript']))) {
    const value = sub.childForFieldName('value');
    if (!value || module.qualifiedName(value) !== 'os.environ') continue;
    const p = sub.parent;
    const written =
      (p?.type === 'assignment' && p.childForFieldName('left')?.id === sub.id) ||
      p?.type === 'augmented_assignment' ||
      p?.type === 'delete_statement';
    if (written) continue;
    const name = nameOf(sub.childForFieldName('subscript') ?? undefined);
    if (!name) continue;
    reads.push({ node: sub, name, noDefault: !keyErrorHandled(sub) && !STANDARD.has(name) });
  }
  return reads;
}

const unique = (names: string[]): string[] => [...new Set(names)];

export default defineRule({
  id: 'python/suggest-env-vars',
  title: 'Environment variables with generic names or without a default',
  cwe: 1076,
  severity: 'low',
  confidence: 'medium',
  kind: 'suggestion',
  languages: ['python'],
  requires: ['environ', 'getenv'],
  description:
    'Environment variables with generic names (`DEBUG`, `CONFIG_DIR`, `API_KEY`) collide with other ' +
    'programs and deployments that set the same name; variables read without a default either raise a ' +
    'bare KeyError far from any explanation or let `None` travel on until something fails later.',
  fix:
    "Prefix each variable with the application's name (`MYAPP_CONFIG_DIR`), pass a documented default " +
    'to `os.environ.get(name, default)` or fail early with a message naming the variable.',
  example: {
    bad: 'config_dir = os.environ["CONFIG_DIR"]',
    good: 'config_dir = os.environ.get("MYAPP_CONFIG_DIR", DEFAULT_CONFIG_DIR)',
  },
  check({ module, report }) {
    const sites = environmentReads(module).map((r) => ({ ...r, generic: isGeneric(r.name) }));
    const found = aggregate(sites.filter((s) => s.generic || s.noDefault));
    if (!found) return;
    const generic = unique(found.sites.filter((s) => s.generic).map((s) => s.name));
    const noDefault = unique(found.sites.filter((s) => s.noDefault).map((s) => s.name));
    const fix: string[] = [];
    if (generic.length) fix.push(`Prefix variables with the application's name (\`MYAPP_${generic[0]}\`).`);
    if (noDefault.length)
      fix.push(
        'Pass a documented default to `os.environ.get(name, default)`, or fail early with a message naming the variable.',
      );
    const names = unique([...generic, ...noDefault]);
    let message: string;
    if (names.length === 1) {
      const says = [
        ...(generic.length ? ['has a generic name that other programs may set too'] : []),
        ...(noDefault.length ? ['is read without a default'] : []),
      ];
      message = `Environment variable \`${names[0]}\` ${says.join(' and ')}.`;
    } else {
      const parts: string[] = [];
      if (generic.length)
        parts.push(
          `${listCode(generic)} ${generic.length === 1 ? 'has a generic name' : 'have generic names'} that other programs may set too`,
        );
      if (noDefault.length)
        parts.push(`${listCode(noDefault)} ${noDefault.length === 1 ? 'is' : 'are'} read without a default`);
      message = `Environment variables: ${parts.join('; ')}.`;
    }
    report({ node: found.node, lines: found.lines, message, fix: fix.join(' ') });
  },
});
