import { NO_DEFECTS_SENTENCE, type Finding } from '../core/index.js';
import {
  activeDefects,
  activeSuggestions,
  cweHeading,
  groupByFile,
  lineRange,
  NO_FILES_REVIEWED,
  partialReviewNote,
  SKIP_REASONS,
  type ReportInput,
} from './context.js';
import { confirmationLine, llmTextSections } from './llm.js';
import { terminalSafe as one, terminalSafeBlock } from '../core/escape.js';

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => (l ? prefix + l : l))
    .join('\n');
}

function defectText(n: number, f: Finding): string {
  const out = [`${n}. ${cweHeading(f.cwe)}, ${lineRange(f)}: ${one(f.message)}`];
  out.push(
    `   Severity: ${f.severity}. Confidence: ${f.confidence}, ${one(f.confidenceReason)}. Rule: ${f.ruleId}.`,
  );
  out.push(
    indent(
      f.snippet
        .split('\n')
        .map((l, i) => `${f.location.start.line + i} | ${terminalSafeBlock(l.replace(/\r$/, ''))}`)
        .join('\n'),
      '   ',
    ),
  );
  if (f.flow?.length) {
    out.push('   Data flow:');
    for (const step of f.flow) out.push(`     line ${step.location.start.line}: ${one(step.note)}`);
  }
  out.push(`   Fix: ${one(f.fix)}`);
  const confirmed = confirmationLine(f);
  if (confirmed) out.push(`   ${confirmed}`);
  return out.join('\n');
}

/**
 * The review in prose. With no defects it is exactly the verdict sentence, then (separated) any
 * suggestions and notes about skipped files. Everything from the repository (names, code,
 * messages quoting code) is shown with its control characters as escapes (core/escape.ts): the
 * report goes to terminals and CI logs.
 */
export function formatText(input: ReportInput): string {
  return terminalSafeBlock(reportText(input));
}

function reportText(input: ReportInput): string {
  const sections: string[] = [];
  const defects = activeDefects(input.findings);
  if (!input.files.some((f) => f.status === 'reviewed')) {
    sections.push(NO_FILES_REVIEWED);
  } else if (defects.length === 0) {
    sections.push(NO_DEFECTS_SENTENCE);
  } else {
    for (const [file, list] of groupByFile(defects)) {
      sections.push([one(file), ...list.map((f, i) => defectText(i + 1, f))].join('\n'));
    }
  }
  const suggestions = activeSuggestions(input.findings);
  if (suggestions.length) {
    const lines = ['Suggestions for improvement (not security defects):'];
    for (const [file, list] of groupByFile(suggestions)) {
      lines.push(one(file));
      list.forEach((s, i) =>
        lines.push(`${i + 1}. ${one(s.message)} (${lineRange(s)}; ${s.ruleId})`, `   ${one(s.fix)}`),
      );
    }
    sections.push(lines.join('\n'));
  }
  sections.push(...llmTextSections(input.llm));
  const notes: string[] = [];
  for (const f of input.files) {
    if (f.status === 'skipped') {
      notes.push(
        `- ${one(f.file)}: skipped, ${SKIP_REASONS[f.reason ?? 'internal-error']}${f.detail ? ` (${one(f.detail)})` : ''}`,
      );
    } else {
      const note = partialReviewNote(f);
      if (note) notes.push(`- ${one(f.file)}: ${one(note)}`);
    }
  }
  for (const n of input.notices ?? []) notes.push(`- ${one(n)}`);
  if (notes.length) sections.push(['Notes:', ...notes].join('\n'));
  return sections.join('\n\n') + '\n';
}
