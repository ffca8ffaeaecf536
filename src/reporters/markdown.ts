import { NO_DEFECTS_SENTENCE } from '../core/index.js';
import {
  activeDefects,
  activeSuggestions,
  cweHeading,
  groupByFile,
  lineRange,
  NO_FILES_REVIEWED,
  partialReviewNote,
  SKIP_REASONS,
  summaryLine,
  type ReportInput,
  stepPlace,
} from './context.js';
import { confirmationLine, llmMarkdown } from './llm.js';
import { markdownCode, markdownFence, markdownMessage, markdownText } from '../core/escape.js';
import { codeFenceFor, languageOfRule } from '../lang/registry.js';

/**
 * A review for pasting into a pull request or Gerrit comment. What comes from the repository is
 * escaped (core/escape.ts): file names and quoted code as code spans no backtick can end, code in
 * fences no line can close (labelled with the language of the rule that found it), the rest of
 * messages as text.
 */
export function formatMarkdown(input: ReportInput): string {
  const out: string[] = ['## secreview security review', ''];
  const defects = activeDefects(input.findings);
  if (!input.files.some((f) => f.status === 'reviewed')) {
    out.push(NO_FILES_REVIEWED, '');
  } else if (defects.length === 0) {
    out.push(NO_DEFECTS_SENTENCE, '');
  } else {
    for (const [file, list] of groupByFile(defects)) {
      out.push(`### ${markdownCode(file)}`, '');
      list.forEach((f, i) => {
        out.push(
          `${i + 1}. **${cweHeading(f.cwe)}**, ${lineRange(f)}: ${markdownMessage(f.message, f.snippet)}`,
          '',
        );
        out.push(
          `   Severity **${f.severity}**, confidence **${f.confidence}**, ${markdownMessage(f.confidenceReason)} (\`${f.ruleId}\`)`,
          '',
        );
        out.push(
          indentBlock(markdownFence(f.snippet, codeFenceFor(f.location.file, languageOfRule(f.ruleId)))),
          '',
        );
        if (f.flow?.length) {
          out.push('   Data flow:', '');
          for (const s of f.flow) out.push(`   - ${stepPlace(s, f)}: ${markdownMessage(s.note)}`);
          out.push('');
        }
        out.push(`   **Fix:** ${markdownMessage(f.fix)}`, '');
        const confirmed = confirmationLine(f);
        if (confirmed) out.push(`   _${confirmed}_`, '');
      });
    }
  }
  const suggestions = activeSuggestions(input.findings);
  if (suggestions.length) {
    out.push('### Suggestions for improvement', '', '_These are not security defects._', '');
    for (const [file, list] of groupByFile(suggestions)) {
      out.push(markdownCode(file), '');
      for (const s of list)
        out.push(
          `- ${markdownMessage(s.message, s.snippet)} (${lineRange(s)}, \`${s.ruleId}\`). ${markdownMessage(s.fix)}`,
        );
      out.push('');
    }
  }
  const skipped = input.files.filter((f) => f.status === 'skipped');
  if (skipped.length) {
    out.push('### Skipped files', '');
    for (const f of skipped)
      out.push(
        `- ${markdownCode(f.file)}: ${SKIP_REASONS[f.reason ?? 'internal-error']}${f.detail ? ` (${markdownText(f.detail)})` : ''}`,
      );
    out.push('');
  }
  const partial = input.files.filter((f) => partialReviewNote(f));
  if (partial.length) {
    out.push('### Partly reviewed files', '');
    for (const f of partial)
      out.push(`- ${markdownCode(f.file)}: ${markdownMessage(partialReviewNote(f) ?? '')}`);
    out.push('');
  }
  out.push(...llmMarkdown(input.llm));
  for (const n of input.notices ?? []) out.push(`> ${markdownMessage(n)}`, '');
  out.push(`_${summaryLine(input)}_`, '');
  return out.join('\n');
}

function indentBlock(text: string): string {
  return text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}
