import { NO_DEFECTS_SENTENCE, type Finding, type FlowStep } from '../core/index.js';
import {
  activeDefects,
  activeSuggestions,
  cweHeading,
  cweShortName,
  groupByFile,
  lineRange,
  NO_FILES_REVIEWED,
  partialReviewNote,
  SKIP_REASONS,
  type ReportInput,
  stepPlace,
} from './context.js';
import { confirmationLine, llmTextSections } from './llm.js';
import { terminalSafe, terminalSafeBlock } from '../core/escape.js';
import { finishTones, tone, unsentinel, type Tone } from './style.js';

/** Code lines longer than this are cut with an ellipsis: a minified line must not flood the terminal. */
export const MAX_CODE_WIDTH = 120;
/** A finding spanning more lines than this shows its first lines and says how many were cut. */
export const MAX_CODE_LINES = 6;

/** Text from the repository, on one line: controls escaped, colour sentinels neutralised. */
function one(text: string): string {
  return unsentinel(terminalSafe(text));
}

const SEVERITY_TONE: Record<Finding['severity'], Tone> = {
  critical: 'magenta',
  high: 'red',
  medium: 'yellow',
  low: 'blue',
};

/** "14", "20-22", "4, 9, 15": the finding's lines, as the first column of its block. */
function lineLabel(f: Finding): string {
  return lineRange(f).replace(/^lines? /, '');
}

function cut(line: string): string {
  const chars = [...line];
  return chars.length > MAX_CODE_WIDTH ? `${chars.slice(0, MAX_CODE_WIDTH - 1).join('')}…` : line;
}

/** The finding's code with line numbers; long lines cut, long spans shortened with a note. */
function codeLines(f: Finding, pad: string): string[] {
  const lines = f.snippet.split('\n').map((l) => l.replace(/\r$/, ''));
  const shown = lines.length > MAX_CODE_LINES ? lines.slice(0, MAX_CODE_LINES - 1) : lines;
  const width = String(f.location.start.line + lines.length - 1).length;
  const out = shown.map(
    (l, i) => `${pad}${tone('dim', `${String(f.location.start.line + i).padStart(width)} |`)} ${one(cut(l))}`,
  );
  if (shown.length < lines.length) {
    const first = f.location.start.line + shown.length;
    out.push(
      `${pad}${tone('dim', `${' '.repeat(width)} | … ${lines.length - shown.length} more lines (${first}-${f.location.start.line + lines.length - 1})`)}`,
    );
  }
  return out;
}

/**
 * One finding: a head line (lines, severity, CWE id and short name, rule), the evidence, the
 * code, the flow and the confidence with its reason. With `verbose`, the full CWE heading and the
 * fix follow; otherwise they come once per rule at the end of the file's section.
 */
function defectBlock(f: Finding, verbose: boolean): string[] {
  const pad = '    ';
  const out = [
    `  ${tone('bold', lineLabel(f))}  ${tone(SEVERITY_TONE[f.severity], f.severity)}  ` +
      `${tone('bold', `CWE-${f.cwe} ${one(cweShortName(f.cwe))}`)}  ${tone('dim', f.ruleId)}`,
    `${pad}${one(f.message)}`,
    ...codeLines(f, pad),
  ];
  if (f.flow?.length) {
    const width = Math.max(...f.flow.map((s) => String(s.location.start.line).length));
    // A step in another file names it (a sink inside a project wrapper, a source in a view).
    const place = (s: FlowStep): string =>
      s.location.file === f.location.file
        ? `line ${String(s.location.start.line).padStart(width)}`
        : stepPlace(s, f);
    f.flow.forEach((step, i) =>
      out.push(`${pad}${i === 0 ? 'flow: ' : '      '}${tone('dim', place(step))} ${one(step.note)}`),
    );
  }
  out.push(`${pad}${tone('dim', `confidence ${f.confidence}: ${one(f.confidenceReason)}`)}`);
  const confirmed = confirmationLine(f);
  if (confirmed) out.push(`${pad}${one(confirmed)}`);
  if (verbose) {
    out.push(`${pad}${one(cweHeading(f.cwe))}`, `${pad}${tone('cyan', 'fix:')} ${one(f.fix)}`);
  }
  return out;
}

/** Once per rule of a file's section: the full CWE name and pillar, and the fix text(s). */
function ruleNotes(list: readonly Finding[]): string[] {
  const byRule = new Map<string, Finding[]>();
  for (const f of list) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  const out: string[] = [];
  for (const [ruleId, fs] of byRule) {
    out.push(`  ${tone('dim', `${ruleId}:`)} ${one(cweHeading(fs[0].cwe))}`);
    for (const fix of new Set(fs.map((f) => f.fix))) out.push(`    ${tone('cyan', 'fix:')} ${one(fix)}`);
  }
  return out;
}

function fileSection(file: string, list: readonly Finding[], verbose: boolean): string {
  const blocks = list.map((f) => defectBlock(f, verbose).join('\n'));
  if (!verbose) blocks.push(ruleNotes(list).join('\n'));
  return [tone('underline', one(file)), blocks.join('\n\n')].join('\n');
}

/**
 * The review in prose, concise by default (`display.verbose` for every detail on every finding),
 * plain or coloured (`display.color`). With no defects it is exactly the verdict sentence, then
 * (separated) any suggestions and notes about skipped files. Everything from the repository
 * (names, code, messages quoting code) is shown with its control characters as escapes
 * (core/escape.ts): the report goes to terminals and CI logs.
 */
export function formatText(input: ReportInput): string {
  return finishTones(terminalSafeBlock(reportText(input)), input.display?.color ?? false);
}

function reportText(input: ReportInput): string {
  const verbose = input.display?.verbose ?? false;
  const sections: string[] = [];
  const defects = activeDefects(input.findings);
  if (!input.files.some((f) => f.status === 'reviewed')) {
    sections.push(NO_FILES_REVIEWED);
  } else if (defects.length === 0) {
    sections.push(NO_DEFECTS_SENTENCE);
  } else {
    for (const [file, list] of groupByFile(defects)) sections.push(fileSection(file, list, verbose));
  }
  const suggestions = activeSuggestions(input.findings);
  if (suggestions.length) {
    const files = [...groupByFile(suggestions)].map(([file, list]) =>
      [
        tone('underline', one(file)),
        ...list.flatMap((s) => [
          `  ${tone('bold', lineLabel(s))}  ${one(s.message)}  ${tone('dim', s.ruleId)}`,
          `    ${one(s.fix)}`,
        ]),
      ].join('\n'),
    );
    sections.push(
      [tone('bold', 'Suggestions for improvement (not security defects):'), files.join('\n\n')].join('\n'),
    );
  }
  sections.push(...llmTextSections(input.llm).map(unsentinel));
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
  if (notes.length) sections.push([tone('bold', 'Notes:'), ...notes].join('\n'));
  return sections.join('\n\n') + '\n';
}
