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
} from './context.js';
import { confirmationLine, llmMarkdown } from './llm.js';
import { languageOfRule } from '../lang/registry.js';

/** A code block, labelled with the language of the rule that found it. */
const fence = (code: string, ruleId: string): string => {
  const ticks = code.includes('```') ? '````' : '```';
  return `${ticks}${languageOfRule(ruleId)?.codeFence ?? ''}\n${code}\n${ticks}`;
};

/** A review for pasting into a pull request or Gerrit comment. */
export function formatMarkdown(input: ReportInput): string {
  const out: string[] = ['## secreview security review', ''];
  const defects = activeDefects(input.findings);
  if (!input.files.some((f) => f.status === 'reviewed')) {
    out.push(NO_FILES_REVIEWED, '');
  } else if (defects.length === 0) {
    out.push(NO_DEFECTS_SENTENCE, '');
  } else {
    for (const [file, list] of groupByFile(defects)) {
      out.push(`### \`${file}\``, '');
      list.forEach((f, i) => {
        out.push(`${i + 1}. **${cweHeading(f.cwe)}**, ${lineRange(f)}: ${f.message}`, '');
        out.push(`   Severity **${f.severity}**, confidence **${f.confidence}** (\`${f.ruleId}\`)`, '');
        out.push(indentBlock(fence(f.snippet, f.ruleId)), '');
        if (f.flow?.length) {
          out.push('   Data flow:', '');
          for (const s of f.flow) out.push(`   - line ${s.location.start.line}: ${s.note}`);
          out.push('');
        }
        out.push(`   **Fix:** ${f.fix}`, '');
        const confirmed = confirmationLine(f);
        if (confirmed) out.push(`   _${confirmed}_`, '');
      });
    }
  }
  const suggestions = activeSuggestions(input.findings);
  if (suggestions.length) {
    out.push('### Suggestions for improvement', '', '_These are not security defects._', '');
    for (const [file, list] of groupByFile(suggestions)) {
      out.push(`\`${file}\``, '');
      for (const s of list) out.push(`- ${s.message} (${lineRange(s)}, \`${s.ruleId}\`). ${s.fix}`);
      out.push('');
    }
  }
  const skipped = input.files.filter((f) => f.status === 'skipped');
  if (skipped.length) {
    out.push('### Skipped files', '');
    for (const f of skipped)
      out.push(
        `- \`${f.file}\`: ${SKIP_REASONS[f.reason ?? 'internal-error']}${f.detail ? ` (${f.detail})` : ''}`,
      );
    out.push('');
  }
  const partial = input.files.filter((f) => partialReviewNote(f));
  if (partial.length) {
    out.push('### Partly reviewed files', '');
    for (const f of partial) out.push(`- \`${f.file}\`: ${partialReviewNote(f)}`);
    out.push('');
  }
  out.push(...llmMarkdown(input.llm));
  for (const n of input.notices ?? []) out.push(`> ${n}`, '');
  out.push(`_${summaryLine(input)}_`, '');
  return out.join('\n');
}

function indentBlock(text: string): string {
  return text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}
