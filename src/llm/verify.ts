import type { Confidence, Finding, LlmConfirmation } from '../core/index.js';
import { isUsableWeakness } from '../cwe/catalog.js';
import {
  codeHolds,
  namedIdentifiers,
  placeQuote,
  sourceLines,
  supportingFinding,
  type LineSpan,
} from './code-match.js';
import {
  REJECTION_REASONS,
  type LlmClaim,
  type LlmObservation,
  type RejectedClaim,
  type RejectionReason,
} from './types.js';

export interface VerifyInput {
  /** Report path of the file the claims are about. */
  file: string;
  text: string;
  claims: readonly LlmClaim[];
  /** Deterministic findings (any file; only this file's are matched). */
  findings: readonly Finding[];
  /** How many lines away a quote may be found for the claim to be moved rather than rejected. */
  moveWindow: number;
}

export interface VerifyResult {
  /** The input findings, with `llmConfirmation` set on those a claim agrees with. */
  findings: Finding[];
  confirmed: number;
  observations: LlmObservation[];
  rejected: RejectedClaim[];
}

const LOWER: Record<Confidence, Confidence> = { high: 'medium', medium: 'low', low: 'low' };

type Checked =
  { ok: true; span: LineSpan; movedFrom?: number } | { ok: false; reason: RejectionReason; detail: string };

/** The checks of one claim against the real file, in order; the first failure decides. */
function check(claim: LlmClaim, lines: readonly string[], moveWindow: number): Checked {
  if (!isUsableWeakness(claim.cwe)) {
    return { ok: false, reason: 'unknown-cwe', detail: `CWE-${claim.cwe}` };
  }
  const cited = { start: claim.startLine, end: Math.max(claim.startLine, claim.endLine) };
  if (cited.start < 1 || cited.start > lines.length) {
    return { ok: false, reason: 'outside-file', detail: `line ${cited.start} of ${lines.length}` };
  }
  cited.end = Math.min(cited.end, lines.length);
  // Models often copy the numbered listing they were shown: "12 | code".
  const numbered = claim.quote.split('\n').every((l) => !l.trim() || /^[ \t]*\d+[ \t]*\|/.test(l));
  const quote = numbered ? claim.quote.replace(/^[ \t]*\d+[ \t]*\|[ \t]?/gm, '') : claim.quote;
  if (!quote.trim()) return { ok: false, reason: 'no-quote', detail: '' };
  const placed = placeQuote(lines, cited, quote, moveWindow);
  if (placed.kind === 'absent' || placed.kind === 'elsewhere') {
    const where =
      placed.kind === 'elsewhere'
        ? `; it is at line ${placed.spans.map((s) => s.start).join(', ')}`
        : '; it is nowhere in the file';
    return { ok: false, reason: 'quote-not-found', detail: `line ${cited.start}${where}` };
  }
  const span = placed.span;
  const code = lines.slice(span.start - 1, span.end).join('\n');
  for (const id of namedIdentifiers(claim.explanation)) {
    if (!codeHolds(code, id)) {
      return { ok: false, reason: 'identifier-not-in-code', detail: `\`${id}\`` };
    }
  }
  return placed.kind === 'moved' ? { ok: true, span, movedFrom: placed.from.start } : { ok: true, span };
}

/**
 * Checks each claim against the code before anything is shown: the quoted code must be at the
 * cited lines, the CWE must exist, the code the explanation names must be there. Claims that agree
 * with a deterministic finding are merged into it; the others passing become observations with a
 * lowered confidence; the rest are rejected with a reason. Pure.
 */
export function verifyClaims(input: VerifyInput): VerifyResult {
  const lines = sourceLines(input.text);
  const findings = [...input.findings];
  const observations: LlmObservation[] = [];
  const rejected: RejectedClaim[] = [];
  let confirmed = 0;
  const seen = new Set<string>();
  for (const claim of input.claims) {
    const result = check(claim, lines, input.moveWindow);
    if (!result.ok) {
      rejected.push({ file: input.file, claim, reason: result.reason, detail: result.detail });
      continue;
    }
    const { span, movedFrom } = result;
    const support = supportingFinding(findings, input.file, span, claim.cwe);
    if (support) {
      const i = findings.indexOf(support);
      if (!support.llmConfirmation) confirmed++;
      const confirmation: LlmConfirmation = {
        cwe: claim.cwe,
        explanation: claim.explanation,
        ...(movedFrom !== undefined ? { movedFrom } : {}),
      };
      findings[i] = { ...support, llmConfirmation: support.llmConfirmation ?? confirmation };
      continue;
    }
    const key = `${claim.cwe}:${span.start}:${span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    observations.push({
      file: input.file,
      cwe: claim.cwe,
      startLine: span.start,
      endLine: span.end,
      code: lines.slice(span.start - 1, span.end).join('\n'),
      explanation: claim.explanation,
      fix: claim.fix,
      confidence: LOWER[claim.confidence],
      modelConfidence: claim.confidence,
      ...(movedFrom !== undefined ? { movedFrom } : {}),
    });
  }
  return { findings, confirmed, observations, rejected };
}

/** "2 claims rejected: the cited line does not contain the quoted code", one line per reason. */
export function rejectionSummary(rejected: readonly RejectedClaim[]): string[] {
  const counts = new Map<RejectionReason, number>();
  for (const r of rejected) counts.set(r.reason, (counts.get(r.reason) ?? 0) + 1);
  return [...counts].map(
    ([reason, n]) => `${n} ${n === 1 ? 'claim' : 'claims'} rejected: ${REJECTION_REASONS[reason]}`,
  );
}
