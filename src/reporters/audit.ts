import { NO_DEFECTS_SENTENCE, type Finding } from '../core/index.js';
import { terminalSafeBlock } from '../core/escape.js';
import { catalogVersion } from '../cwe/catalog.js';
import {
  AUDIT_VERDICTS,
  type AuditVerdict,
  type ClaimAudit,
  type CweCheck,
  type NamedCode,
  type ReviewAudit,
} from '../llm/audit.js';
import { plural } from './context.js';

/** `secreview audit-review`: a verdict per claim, as prose or JSON. Pure. */

const MAX_LINES = 6;

function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, MAX_LINES).join(', ');
  const more = lines.length > MAX_LINES ? ` and ${lines.length - MAX_LINES} more` : '';
  return `${lines.length > 1 ? 'lines' : 'line'} ${shown}${more}`;
}

function spanText(s: { start: number; end: number }): string {
  return s.end > s.start ? `lines ${s.start}-${s.end}` : `line ${s.start}`;
}

function codeLabel(code: string): string {
  const one = code.includes('\n') ? `${code.split('\n')[0].trim()} ...` : code;
  return `\`${one}\``;
}

function namedText(named: readonly NamedCode[]): string {
  if (!named.length) return 'none';
  return named
    .map(
      (n) =>
        `${codeLabel(n.code)} ${n.lines.length ? `at ${lineList(n.lines)}` : `is not in the file${similarText(n)}`}`,
    )
    .join('; ');
}

function similarText(n: NamedCode): string {
  if (!n.similar?.length) return '';
  return ` (similar: ${n.similar.map((s) => `${codeLabel(s.code)} at ${lineList(s.lines)}`).join(', ')})`;
}

function cweText(c: CweCheck | undefined): string {
  if (!c) return 'the claim names no CWE.';
  if (!c.name) return `CWE-${c.id} does not exist in the CWE ${catalogVersion()} catalog.`;
  const out: string[] = [];
  if (!c.usable)
    out.push(`CWE-${c.id} ${c.name} is not a usable weakness (a category, view or deprecated entry).`);
  else if (c.pillar?.id === c.id)
    out.push(
      `CWE-${c.id} ${c.name} exists; it is itself a CWE-1000 pillar, the most abstract level, not a specific weakness.`,
    );
  else
    out.push(
      `CWE-${c.id} ${c.name} exists (${c.abstraction}); its pillar is CWE-${c.pillar?.id} ${c.pillar?.name}.`,
    );
  if (c.nameGiven && normalizeName(c.nameGiven) !== normalizeName(c.name)) {
    out.push(`The review calls it "${c.nameGiven}".`);
  }
  return out.join(' ');
}

function normalizeName(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function findingText(f: Finding): string {
  return `CWE-${f.cwe} at ${spanText({ start: f.location.start.line, end: f.location.end.line })} (${f.ruleId}): ${f.message}`;
}

function verdictText(a: ClaimAudit): string {
  const label = a.verdict.toUpperCase().replace(/-/g, ' ');
  let why: string = AUDIT_VERDICTS[a.verdict];
  if (a.verdict === 'wrong-line') {
    const where = [...new Set(a.named.flatMap((n) => n.lines))].sort((x, y) => x - y);
    why += ` (${a.cited ? spanText(a.cited) : 'the cited line'}); it is at ${lineList(where)}`;
  }
  if (a.verdict === 'supported')
    why += `: ${a.support.map((f) => `${f.ruleId} at line ${f.location.start.line}`).join(', ')}`;
  return `${label}: ${why}.`;
}

function claimText(a: ClaimAudit, lineCount: number): string[] {
  const at = a.cited ? ` (cited ${spanText(a.cited)})` : '';
  const out = [`Claim ${a.number}${at}: ${a.heading.replace(/:\s*$/, '')}`];
  out.push(`  CWE: ${cweText(a.cwe)}`);
  out.push(`  Named code: ${namedText(a.named)}.`);
  if (!a.cited) out.push('  Cited line: none.');
  else if (a.citedCode === undefined)
    out.push(`  Cited ${spanText(a.cited)}: the file has only ${lineCount} lines.`);
  else {
    out.push(`  Cited ${spanText(a.cited)}:`);
    a.citedCode.split('\n').forEach((l, i) => out.push(`    ${a.cited!.start + i} | ${l}`.trimEnd()));
    out.push(
      a.named.length
        ? a.atCitedLines.length
          ? `    It holds ${a.atCitedLines.map(codeLabel).join(', ')}.`
          : '    It holds none of the named code.'
        : '    The claim names no code to look for.',
    );
  }
  out.push(
    a.findingsThere.length
      ? ["  secreview's analysis there:", ...a.findingsThere.map((f) => `    - ${findingText(f)}`)].join('\n')
      : "  secreview's analysis: no defect at the cited line or where the named code is.",
  );
  out.push(`  Verdict: ${verdictText(a)}`);
  return out;
}

export function auditCounts(audit: ReviewAudit): Record<AuditVerdict, number> {
  const counts = Object.fromEntries(Object.keys(AUDIT_VERDICTS).map((k) => [k, 0])) as Record<
    AuditVerdict,
    number
  >;
  for (const c of audit.claims) counts[c.verdict]++;
  return counts;
}

function ownVerdict(audit: ReviewAudit): string {
  return audit.findings.length
    ? [
        `${plural(audit.findings.length, 'security defect')}:`,
        ...audit.findings.map((f) => `  - ${findingText(f)}`),
      ].join('\n')
    : NO_DEFECTS_SENTENCE;
}

/** The audit in prose; the review's text is the user's input, shown with its control characters escaped. */
export function formatAuditText(audit: ReviewAudit, reviewName: string): string {
  return terminalSafeBlock(auditText(audit, reviewName));
}

function auditText(audit: ReviewAudit, reviewName: string): string {
  const out: string[] = [`Audit of ${reviewName} against ${audit.file} (${plural(audit.lineCount, 'line')})`];
  out.push(
    `The review says: ${audit.reviewVerdictText ? `"${audit.reviewVerdictText}"` : '(no overall verdict)'} ` +
      `(${plural(audit.claims.length, 'claim')}, ${plural(audit.suggestions.length, 'suggestion')}).`,
  );
  out.push(`secreview's analysis of the file: ${ownVerdict(audit)}`);
  if (audit.reviewVerdict === 'no-defects') {
    out.push(
      audit.findings.length
        ? 'The verdicts disagree: the review says there are no security defects.'
        : 'The verdicts agree.',
    );
  }
  for (const c of audit.claims) out.push('', ...claimText(c, audit.lineCount));
  if (audit.suggestions.length) {
    out.push('', 'Suggestions (not claims of defects; only the code they name is located):');
    for (const s of audit.suggestions) {
      const named = s.named.length ? `named code ${namedText(s.named)}` : 'names no code';
      out.push(`  ${s.number}. ${s.heading.replace(/:\s*$/, '')}: ${named}.`);
    }
  }
  if (audit.claims.length) {
    const counts = auditCounts(audit);
    out.push(
      '',
      `Summary: ${plural(audit.claims.length, 'claim')}: ` +
        Object.entries(counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ') +
        '.',
    );
  }
  return out.join('\n') + '\n';
}

export function formatAuditJson(audit: ReviewAudit, reviewName: string): string {
  const report = {
    review: reviewName,
    file: audit.file,
    lineCount: audit.lineCount,
    cweCatalog: catalogVersion(),
    reviewVerdict: audit.reviewVerdict,
    reviewVerdictText: audit.reviewVerdictText ?? null,
    secreviewVerdict: audit.findings.length
      ? `${plural(audit.findings.length, 'security defect')} detected.`
      : NO_DEFECTS_SENTENCE,
    summary: auditCounts(audit),
    claims: audit.claims.map((c) => ({
      number: c.number,
      heading: c.heading,
      verdict: c.verdict,
      verdictText: AUDIT_VERDICTS[c.verdict],
      cwe: c.cwe ?? null,
      cited: c.cited ?? null,
      citedCode: c.citedCode ?? null,
      namedCode: c.named,
      atCitedLines: c.atCitedLines,
      findingsThere: c.findingsThere.map(findingRef),
      support: c.support.map(findingRef),
    })),
    suggestions: audit.suggestions,
    findings: audit.findings.map(findingRef),
  };
  return JSON.stringify(report, null, 2) + '\n';
}

function findingRef(f: Finding): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    cwe: f.cwe,
    startLine: f.location.start.line,
    endLine: f.location.end.line,
    message: f.message,
  };
}
