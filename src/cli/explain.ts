import { getDetails, getPillar, getWeakness, parseCweId } from '../cwe/catalog.js';
import { allRules, findRule } from '../rules/registry.js';
import { UsageError } from './io.js';

/** A list item of the catalog text: indentation, then "- " or "1. ". */
const LIST_ITEM = /^(\s*)(-|\d+\.)\s+/;

/**
 * Wraps paragraphs (one per line) at `width`, each line starting with `prefix`. A list item ("- x",
 * "1. x", indented when nested) keeps its marker, and its continuation lines line up with its text.
 */
export function wrap(text: string, width = 100, prefix = '  '): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    const item = LIST_ITEM.exec(para);
    const first = prefix + (item ? item[0] : '');
    const rest = prefix + ' '.repeat(item ? item[0].length : 0);
    let line = '';
    let lead = first;
    for (const word of para
      .slice(item ? item[0].length : 0)
      .split(/\s+/)
      .filter(Boolean)) {
      if (line && lead.length + line.length + word.length + 1 > width) {
        out.push(lead + line);
        lead = rest;
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(lead + line);
  }
  return out.join('\n');
}

/** `secreview explain CWE-78`: name, pillar path, description, mitigations, detecting rules. */
export function explainCwe(arg: string): string {
  const id = parseCweId(arg);
  if (id === undefined) {
    throw new UsageError(`not a CWE id or rule id: ${arg} (expected e.g. CWE-78 or python/sql-injection)`);
  }
  const w = getWeakness(id);
  if (!w) throw new UsageError(`CWE-${id} is not a weakness in the CWE catalog`);
  const pillar = getPillar(id);
  const out = [`CWE-${id}: ${w.name}`, `  Abstraction: ${w.abstraction}. Status: ${w.status}.`];
  out.push(
    `  Pillar path (View 1000, primary ChildOf): ${w.path
      .map((p) => `CWE-${p} ${getWeakness(p)?.name ?? ''}`.trim())
      .join(' -> ')}`,
  );
  if (pillar) out.push(`  Pillar: CWE-${pillar.id} ${pillar.name}`);
  const d = getDetails(id);
  if (d?.description) out.push('', 'Description:', wrap(d.description));
  if (d?.extendedDescription) out.push('', wrap(d.extendedDescription));
  if (d?.mitigations.length) {
    out.push('', 'Mitigations:');
    d.mitigations.forEach((m, i) => {
      const head = [m.phase, m.strategy].filter(Boolean).join('; ');
      const text = wrap(m.description, 100, '     ');
      const number = `  ${i + 1}.`.padEnd(5);
      if (head) out.push(`${number}[${head}]`, text);
      else out.push(number + text.slice(5));
    });
  }
  const rules = allRules().filter((r) => r.cwe === id);
  out.push('', 'secreview rules that detect it:');
  if (rules.length) for (const r of rules) out.push(`  ${r.id}: ${r.title}`);
  else out.push('  none');
  return out.join('\n') + '\n';
}

/**
 * `secreview explain python/sql-injection`: what the rule finds, its defaults and fix advice, then
 * the explanation of its CWE.
 */
export function explainRule(id: string): string | undefined {
  const rule = findRule(id);
  if (!rule) return undefined;
  const kind = rule.kind === 'suggestion' ? 'suggestion' : rule.hygiene ? 'hygiene check' : 'security defect';
  const out = [
    `${rule.id}: ${rule.title}`,
    `  A ${kind}; default severity ${rule.severity}, confidence ${rule.confidence}.`,
    '',
    wrap(rule.description),
    '',
    'Fix:',
    wrap(rule.fix),
    '',
  ];
  return out.join('\n') + explainCwe(`CWE-${rule.cwe}`);
}

/** `secreview explain <id>`: a rule id or a CWE id. */
export function explain(arg: string): string {
  return explainRule(arg.trim()) ?? explainCwe(arg);
}
