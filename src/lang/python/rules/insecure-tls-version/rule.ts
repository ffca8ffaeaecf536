import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const OLD = ['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1_1'];
const LABEL: Record<string, string> = {
  SSLv2: 'SSL 2.0',
  SSLv3: 'SSL 3.0',
  TLSv1: 'TLS 1.0',
  TLSv1_1: 'TLS 1.1',
};
const PYOPENSSL = ['OpenSSL.SSL', 'pyOpenSSL.SSL'];

/** Qualified names of constants that select SSL 2/3 or TLS 1.0/1.1. */
const OLD_PROTOCOLS = new Map<string, string>([
  ...OLD.map((v): [string, string] => [`ssl.PROTOCOL_${v}`, v]),
  ...OLD.slice(1).map((v): [string, string] => [`ssl.TLSVersion.${v}`, v]),
  ...PYOPENSSL.flatMap((m) => OLD.map((v): [string, string] => [`${m}.${v}_METHOD`, v])),
]);

export default defineRule({
  id: 'python/insecure-tls-version',
  title: 'SSL 2/3 or TLS 1.0/1.1 protocol selected',
  cwe: 327,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['SSLv', 'TLSv1', 'MINIMUM_SUPPORTED'],
  description:
    'The code selects or allows SSL 2.0, SSL 3.0, TLS 1.0 or TLS 1.1 (`ssl.PROTOCOL_TLSv1`, ' +
    '`minimum_version = ssl.TLSVersion.TLSv1`, pyOpenSSL `SSL.SSLv3_METHOD`, ...). These versions are deprecated ' +
    '(RFC 8996) and have practical attacks such as POODLE and BEAST; a peer or a man in the middle can push the ' +
    'connection down to them.',
  fix: 'Use ssl.create_default_context() (or PROTOCOL_TLS_CLIENT / PROTOCOL_TLS_SERVER) and set minimum_version = ssl.TLSVersion.TLSv1_2 or higher.',
  example: {
    bad: 'ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)',
    good: 'ctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2',
  },
  check({ file, module, report }) {
    const seen = new Set<number>();
    for (const n of file.tree.rootNode.descendantsOfType(['attribute', 'identifier'])) {
      if (!n || inImport(n)) continue;
      const p = n.parent;
      if (n.type === 'identifier' && p?.type === 'attribute') continue;
      if (p?.type === 'attribute' && p.childForFieldName('object')?.id === n.id) continue;
      const q = module.qualifiedName(n);
      if (!q) continue;
      let version = OLD_PROTOCOLS.get(q);
      // MINIMUM_SUPPORTED is whatever the OpenSSL build still allows, SSL 3 on some.
      if (!version && q === 'ssl.TLSVersion.MINIMUM_SUPPORTED' && assignedAttribute(n) === 'minimum_version')
        version = 'the oldest supported version';
      if (!version || inComparison(n) || inTable(n) || seen.has(n.id)) continue;
      seen.add(n.id);
      const where = assignedAttribute(n);
      report({
        node: n,
        message: `\`${n.text}\` ${where ? `as \`${where}\` ` : ''}lets connections use ${LABEL[version] ?? version}, which is deprecated and attackable.`,
      });
    }
  },
});

function inImport(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent)
    if (p.type === 'import_from_statement' || p.type === 'import_statement') return true;
  return false;
}

/**
 * `{"TLSv1.0": SSL.TLSv1_METHOD, "TLS": SSL.SSLv23_METHOD}`: a table from a setting's values to
 * the constants offers the versions; the setting chooses, and is judged where it is given.
 */
function inTable(n: Node): boolean {
  const p = n.parent;
  return p?.type === 'pair' && p.childForFieldName('value')?.id === n.id;
}

/** `if ctx.protocol == ssl.PROTOCOL_TLSv1:` tests for the version rather than choosing it. */
function inComparison(n: Node): boolean {
  for (let p = n.parent; p && p.type !== 'expression_statement' && p.type !== 'block'; p = p.parent)
    if (p.type === 'comparison_operator') return true;
  return false;
}

/** `ctx.minimum_version = <n>` → "minimum_version". */
function assignedAttribute(n: Node): string | undefined {
  const p = n.parent;
  if (p?.type !== 'assignment' || p.childForFieldName('right')?.id !== n.id) return undefined;
  const left = p.childForFieldName('left');
  return left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
}
