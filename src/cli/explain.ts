import { getDetails, getPillar, getWeakness, parseCweId } from '../cwe/catalog.js';
import { allRules } from '../rules/registry.js';
import { UsageError } from './io.js';

function wrap(text: string, width = 100, prefix = '  '): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + word.length + 1 > width) {
        out.push(prefix + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(prefix + line);
  }
  return out.join('\n');
}

/** `secreview explain CWE-78`: name, pillar path, description, mitigations, detecting rules. */
export function explainCwe(arg: string): string {
  const id = parseCweId(arg);
  if (id === undefined) throw new UsageError(`not a CWE id: ${arg} (expected e.g. CWE-78)`);
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
      out.push(`  ${i + 1}. ${head ? `[${head}] ` : ''}${wrap(m.description, 100, '     ').trimStart()}`);
    });
  }
  const rules = allRules().filter((r) => r.cwe === id);
  out.push('', 'secreview rules that detect it:');
  if (rules.length) for (const r of rules) out.push(`  ${r.id}: ${r.title}`);
  else out.push('  none');
  return out.join('\n') + '\n';
}
