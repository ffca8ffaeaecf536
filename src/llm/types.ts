import type { Confidence } from '../core/index.js';

/** One claim as the model states it, after schema validation (lines are 1-based, inclusive). */
export interface LlmClaim {
  cwe: number;
  startLine: number;
  endLine: number;
  /** The code the model says is at those lines. */
  quote: string;
  explanation: string;
  fix: string;
  confidence: Confidence;
}

/** Why a claim was dropped; the text is what the report prints after "N claims rejected:". */
export const REJECTION_REASONS = {
  'unknown-cwe': 'the CWE is not a weakness in the CWE catalog',
  'outside-file': 'the cited lines are outside the file',
  'no-quote': 'the claim quotes no code',
  'quote-not-found': 'the cited line does not contain the quoted code',
  'identifier-not-in-code': 'the explanation names code that is not at the cited lines',
} as const;
export type RejectionReason = keyof typeof REJECTION_REASONS;

export interface RejectedClaim {
  file: string;
  claim: LlmClaim;
  reason: RejectionReason;
  /** Specific detail, e.g. the identifier that was not found. */
  detail: string;
}

/** A claim that passed every check but that no deterministic rule supports. */
export interface LlmObservation {
  file: string;
  cwe: number;
  startLine: number;
  endLine: number;
  /** The real code at those lines (not the model's quote). */
  code: string;
  explanation: string;
  fix: string;
  /** Lowered by one step from what the model said: unconfirmed by analysis. */
  confidence: Confidence;
  modelConfidence: Confidence;
  /** The line the model cited when its quote was found a few lines away. */
  movedFrom?: number;
}

/** What the model did not see, and why (context budget, a failed request). */
export interface UnseenRange {
  file: string;
  startLine: number;
  endLine: number;
  reason: string;
}

/** Everything the LLM layer adds to a report. Reporters render it when present. */
export interface LlmReport {
  model: string;
  promptVersion: string;
  /** Claims merged into deterministic findings (those carry `llmConfirmation`). */
  confirmed: number;
  observations: LlmObservation[];
  rejected: RejectedClaim[];
  unseen: UnseenRange[];
}
