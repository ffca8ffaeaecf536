/**
 * Core vocabulary of secreview. This module has no internal dependencies.
 *
 * Units: lines are 1-based; columns are 1-based and count UTF-16 code units (SARIF's default and
 * what JavaScript strings index). `end` is exclusive in column, inclusive in line, as in SARIF.
 */

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** A rank where a larger number is more severe / more certain. */
export function severityRank(s: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(s);
}
export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.length - CONFIDENCES.indexOf(c);
}

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units. */
  column: number;
}

export interface Location {
  /** Path relative to the review root, with forward slashes. */
  file: string;
  start: Position;
  /** Exclusive end column. */
  end: Position;
}

/** One step of a dataflow path from a source to a sink. */
export interface FlowStep {
  location: Location;
  /** What happens at this step, naming the code ("`cmd` is built from `host`"). */
  note: string;
}

export type FindingKind = 'defect' | 'suggestion';

export interface Suppression {
  kind: 'inline' | 'baseline' | 'config';
  justification?: string;
}

export interface Finding {
  kind: FindingKind;
  ruleId: string;
  cwe: number;
  severity: Severity;
  confidence: Confidence;
  /**
   * Why the finding has its confidence, as a phrase: a proven flow (from which source), a value of
   * unknown origin, a name heuristic, or a pattern matched as written.
   */
  confidenceReason: string;
  location: Location;
  /** Explanation tied to the code involved. */
  message: string;
  /** Concrete fix advice. */
  fix: string;
  /** The source text of the primary line(s), trimmed. */
  snippet: string;
  /** Enclosing function/class, dotted ("Handler.get"), or "" at module level. */
  context: string;
  /** Line-independent identity, see fingerprint.ts. */
  fingerprint: string;
  /** Source-to-sink path for dataflow findings. */
  flow?: FlowStep[];
  /** For aggregated suggestions: every line concerned. */
  lines?: number[];
  suppressed?: Suppression;
  /** Set when an LLM claim, checked against the code, agrees with this finding. */
  llmConfirmation?: LlmConfirmation;
}

export interface LlmConfirmation {
  /** The CWE the model named (the same as the finding's or on its pillar path). */
  cwe: number;
  explanation: string;
  /** The line the model cited when its quote was found a few lines away. */
  movedFrom?: number;
}

export type SkipReason =
  | 'binary'
  | 'not-utf8'
  | 'too-large'
  | 'unreadable'
  | 'unsupported-language'
  /** Minified or generated code, as the file's language tells it (see lang/language.ts `notSource`). */
  | 'generated'
  /** The analysis ran past the per-file time budget. */
  | 'timeout'
  /** The analysis needed more than the per-file heap limit. */
  | 'memory-limit'
  | 'internal-error';

export interface FileReport {
  file: string;
  status: 'reviewed' | 'skipped';
  reason?: SkipReason;
  /** Human-readable detail for a skip. */
  detail?: string;
  /** Lines with syntax errors; the rest of the file was still reviewed. */
  syntaxErrorLines?: number[];
  lineCount?: number;
}

export const NO_DEFECTS_SENTENCE = 'No security defects are detected in the code.';
