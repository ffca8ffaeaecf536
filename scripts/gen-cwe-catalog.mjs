// Generates src/cwe/catalog.generated.json and src/cwe/details.generated.json from the MITRE CWE
// catalog (the XML archive that the cwe-sdk package ships). No CWE name is typed by hand anywhere
// in secreview. The XML is read in document order so that paragraphs and list items keep their
// places: the text keeps one paragraph per line and list items as "- " (or "1. ") lines.
// Usage: node scripts/gen-cwe-catalog.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESEARCH_VIEW = '1000';

const xml = readFileSync(require.resolve('cwe-sdk/raw/cwe-archive.xml'), 'utf8');
const document = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  // The archive is a file of the cwe-sdk package, not reviewed input; its text holds more
  // character references (&lt; in code examples) than the parser's default cap allows.
  processEntities: { enabled: true, maxTotalExpansions: 10_000_000, maxExpandedLength: 100_000_000 },
}).parse(xml);

/** The tag of a preserve-order node ('#text' for text). */
const tagOf = (node) => Object.keys(node).find((k) => k !== ':@');
const childrenOf = (node) => node[tagOf(node)] ?? [];
const attrs = (node) => node[':@'] ?? {};
const child = (node, tag) => childrenOf(node).find((c) => tagOf(c) === tag);
const all = (node, tag) => childrenOf(node).filter((c) => tagOf(c) === tag);

const BLOCKS = new Set([
  'xhtml:p',
  'xhtml:div',
  'xhtml:ul',
  'xhtml:ol',
  'xhtml:li',
  'xhtml:table',
  'xhtml:tr',
]);

/**
 * The text of an element as lines: one line per paragraph, list items as "- item" or "1. item",
 * nested lists indented by two spaces per level. Inline markup (b, i, sup) is kept as its text.
 */
function text(node) {
  if (!node) return '';
  const lines = [];
  let inline = '';
  const flush = () => {
    const t = inline.replace(/\s+/g, ' ').trim();
    if (t) lines.push(t);
    inline = '';
  };
  const walk = (nodes, depth) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === '#text') inline += n['#text'];
      else if (tag === 'xhtml:br') inline += ' ';
      else if (tag === 'xhtml:ul' || tag === 'xhtml:ol') {
        flush();
        all(n, 'xhtml:li').forEach((li, i) => {
          const marker = tag === 'xhtml:ol' ? `${i + 1}. ` : '- ';
          const start = lines.length;
          walk(childrenOf(li), depth + 1);
          flush();
          const indent = '  '.repeat(depth);
          for (let k = start; k < lines.length; k++) {
            lines[k] = k === start ? indent + marker + lines[k].trimStart() : '  ' + lines[k];
          }
        });
      } else if (BLOCKS.has(tag)) {
        flush();
        walk(childrenOf(n), depth);
        flush();
      } else if (tag === 'xhtml:td' || tag === 'xhtml:th') {
        walk(childrenOf(n), depth);
        inline += ' | ';
      } else walk(childrenOf(n), depth);
    }
  };
  walk(childrenOf(node), 0);
  flush();
  return lines.map((l) => l.replace(/(?:\s*\|\s*)+$/, '')).join('\n');
}

const catalogNode = document.find((n) => tagOf(n) === 'Weakness_Catalog');
const weaknessNodes = all(child(catalogNode, 'Weaknesses'), 'Weakness');

const weaknesses = new Map();
for (const w of weaknessNodes) {
  const a = attrs(w);
  const related = all(child(w, 'Related_Weaknesses') ?? {}, 'Related_Weakness').map(attrs);
  const primary = related.find(
    (r) => r.Nature === 'ChildOf' && r.View_ID === RESEARCH_VIEW && r.Ordinal === 'Primary',
  );
  weaknesses.set(Number(a.ID), {
    id: Number(a.ID),
    name: a.Name.trim(),
    abstraction: a.Abstraction,
    status: a.Status,
    parent: primary ? Number(primary.CWE_ID) : null,
    node: w,
  });
}

function pillarPath(id) {
  const path = [];
  const seen = new Set();
  let current = weaknesses.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    path.push(current.id);
    if (current.abstraction === 'Pillar' || current.parent === null) break;
    current = weaknesses.get(current.parent);
  }
  return path;
}

const catalogAttrs = attrs(catalogNode);
const catalog = { version: catalogAttrs.Version, date: catalogAttrs.Date, weaknesses: {} };
const details = {};
for (const w of [...weaknesses.values()].sort((x, y) => x.id - y.id)) {
  const path = pillarPath(w.id);
  const top = weaknesses.get(path[path.length - 1]);
  catalog.weaknesses[w.id] = {
    name: w.name,
    abstraction: w.abstraction,
    status: w.status,
    parent: w.parent,
    pillar: top && top.abstraction === 'Pillar' ? top.id : null,
    path,
  };
  details[w.id] = {
    description: text(child(w.node, 'Description')),
    extendedDescription: text(child(w.node, 'Extended_Description')),
    mitigations: all(child(w.node, 'Potential_Mitigations') ?? {}, 'Mitigation').map((m) => ({
      phase: all(m, 'Phase').map(text).join(', '),
      strategy: text(child(m, 'Strategy')),
      description: text(child(m, 'Description')),
    })),
  };
}
const banner = 'GENERATED by scripts/gen-cwe-catalog.mjs from the cwe-sdk MITRE archive. DO NOT EDIT.';
const outputs = {
  'src/cwe/catalog.generated.json': JSON.stringify({ _comment: banner, ...catalog }, null, 1) + '\n',
  'src/cwe/details.generated.json': JSON.stringify({ _comment: banner, entries: details }) + '\n',
};

const check = process.argv.includes('--check');
let stale = false;
for (const [file, content] of Object.entries(outputs)) {
  const path = join(root, file);
  if (check) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== content) {
      console.error(`${file} is out of date: run npm run gen:cwe`);
      stale = true;
    }
  } else {
    writeFileSync(path, content);
    console.log(`wrote ${file}`);
  }
}
process.exitCode = stale ? 1 : 0;
