import { Option, type Command } from 'commander';
import { cweShortName } from '../reporters/context.js';
import { allRules } from '../rules/registry.js';
import type { RuleMeta } from '../rules/rule.js';
import { EXIT_OK } from './exit.js';
import type { CliIO } from './io.js';

/** Security defects first, then the improvement suggestions, each in the registry's order. */
function ordered(): RuleMeta[] {
  const rules = allRules();
  return [...rules.filter((r) => r.kind !== 'suggestion'), ...rules.filter((r) => r.kind === 'suggestion')];
}

/** A table with a header, columns padded to their widest cell; the title runs to the end of the line. */
export function rulesTable(rules: readonly RuleMeta[]): string {
  const rows = [
    ['RULE', 'KIND', 'CWE', 'SEVERITY', 'CONFIDENCE', 'TITLE'],
    ...rules.map((r) => [r.id, r.kind ?? 'defect', `CWE-${r.cwe}`, r.severity, r.confidence, r.title]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

export function rulesJson(rules: readonly RuleMeta[]): string {
  const list = rules.map((r) => ({
    id: r.id,
    kind: r.kind ?? 'defect',
    cwe: r.cwe,
    cweName: cweShortName(r.cwe),
    severity: r.severity,
    confidence: r.confidence,
    title: r.title,
    description: r.description,
    fix: r.fix,
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}

/** `secreview rules`: the rules as a table, or as JSON for scripts. */
export function registerRules(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('rules')
    .description(
      'list the rules (security defects, then improvement suggestions) with their CWE, severity and confidence',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .action((flags: { format: 'table' | 'json' }) => {
      io.stdout(flags.format === 'json' ? rulesJson(ordered()) : rulesTable(ordered()));
      setExit(EXIT_OK);
    });
}
