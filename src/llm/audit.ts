import type { Finding } from '../core/index.js';
import { getPillar, getWeakness, isUsableWeakness } from '../cwe/catalog.js';
import {
  cweRelated,
  findingSpan,
  findQuote,
  linesHolding,
  overlaps,
  sourceLines,
  type LineSpan,
} from './code-match.js';
import type { ParsedReview, ReviewItem } from './parse-review.js';

export const AUDIT_VERDICTS = {
  supported: "secreview's own analysis finds a related defect there",
  unsupported: "the code is where the review says, but secreview's analysis finds no defect there",
  'wrong-line': 'the named code is not at the cited line',
  'code-not-found': 'the code the claim names is not in the file',
  'invalid-cwe': 'the CWE is not a weakness in the catalog',
  unverifiable: 'the claim names no code and no line to check',
} as const;
export type AuditVerdict = keyof typeof AUDIT_VERDICTS;

export interface NamedCode {
  /** An identifier or a quoted code block as the review wrote it. */
  code: string;
  /** Lines of the file where it starts (empty: nowhere). */
  lines: number[];
  /** When it is nowhere: identifiers of the file spelled the same up to case and underscores. */
  similar?: { code: string; lines: number[] }[];
}

export interface CweCheck {
  id: number;
  /** The catalog's name, when the id exists. */
  name?: string;
  nameGiven?: string;
  /** A weakness (not a category, view or deprecated entry). */
  usable: boolean;
  abstraction?: string;
  pillar?: { id: number; name: string };
}

export interface ClaimAudit {
  number: number;
  heading: string;
  cwe?: CweCheck;
  cited?: LineSpan;
  /** The real code at the cited lines. */
  citedCode?: string;
  named: NamedCode[];
  /** Named code found at the cited lines. */
  atCitedLines: string[];
  /** Deterministic defects at the cited lines or where the named code is. */
  findingsThere: Finding[];
  /** Of those, the ones whose CWE is related to the claim's. */
  support: Finding[];
  verdict: AuditVerdict;
}

export interface ReviewAudit {
  file: string;
  lineCount: number;
  reviewVerdict: ParsedReview['verdict'];
  reviewVerdictText?: string;
  claims: ClaimAudit[];
  suggestions: { number: number; heading: string; named: NamedCode[] }[];
  /** secreview's own defects in the file. */
  findings: Finding[];
}

function cweCheck(item: ReviewItem): CweCheck | undefined {
  if (item.cwe === undefined) return undefined;
  const w = getWeakness(item.cwe);
  const p = getPillar(item.cwe);
  return {
    id: item.cwe,
    ...(w ? { name: w.name, abstraction: w.abstraction } : {}),
    ...(item.cweNameGiven ? { nameGiven: item.cweNameGiven } : {}),
    usable: isUsableWeakness(item.cwe),
    ...(p ? { pillar: { id: p.id, name: p.name } } : {}),
  };
}

const spelling = (s: string): string => s.toLowerCase().replace(/[^a-z0-9.]/g, '');

/** `service_too_old` → `ServiceTooOld`: the name a reviewer may have meant. */
function similarNames(lines: readonly string[], identifier: string): { code: string; lines: number[] }[] {
  const want = spelling(identifier.replace(/\(\)$/, ''));
  if (!/^[\w.]+$/.test(identifier.replace(/\(\)$/, '')) || want.length < 4) return [];
  const names = new Set<string>();
  for (const l of lines)
    for (const m of l.matchAll(want.includes('.') ? /[A-Za-z_][\w.]*/g : /[A-Za-z_]\w*/g)) {
      if (spelling(m[0]) === want) names.add(m[0]);
    }
  return [...names].map((code) => ({ code, lines: linesHolding(lines, code) }));
}

function locate(lines: readonly string[], item: ReviewItem): NamedCode[] {
  return [
    ...item.identifiers.map((code) => {
      const at = linesHolding(lines, code);
      const similar = at.length ? [] : similarNames(lines, code);
      return { code, lines: at, ...(similar.length ? { similar } : {}) };
    }),
    ...item.quotes.map((code) => ({ code, lines: findQuote(lines, code).map((s) => s.start) })),
  ];
}

function auditClaim(item: ReviewItem, lines: readonly string[], findings: readonly Finding[]): ClaimAudit {
  const cwe = cweCheck(item);
  const named = locate(lines, item);
  const cited =
    item.lines && item.lines.start <= lines.length
      ? { start: item.lines.start, end: Math.min(Math.max(item.lines.end, item.lines.start), lines.length) }
      : item.lines;
  const inFile = cited !== undefined && cited.start >= 1 && cited.start <= lines.length;
  const atCitedLines =
    cited && inFile ? named.filter((n) => n.lines.some((l) => l >= cited.start && l <= cited.end)) : [];
  const citedSpan = cited && inFile ? [cited] : [];
  const namedSpans = named.flatMap((n) => n.lines.map((l) => ({ start: l, end: l })));
  const defectsAt = (spans: readonly LineSpan[]): Finding[] =>
    findings.filter((f) => f.kind === 'defect' && spans.some((p) => overlaps(findingSpan(f), p)));
  const related = (list: readonly Finding[]): Finding[] =>
    cwe ? list.filter((f) => cweRelated(f.cwe, cwe.id)) : [];
  const atCited = defectsAt(citedSpan);
  const found = named.some((n) => n.lines.length > 0);
  const misplaced = named.length > 0 && found && (!cited || !inFile || atCitedLines.length === 0);
  // Where the claim points: the cited lines, or where its code really is when the line is wrong.
  const findingsThere = misplaced ? [...new Set([...atCited, ...defectsAt(namedSpans)])] : atCited;
  let verdict: AuditVerdict;
  let support: Finding[] = [];
  if (!cwe || !cwe.usable) verdict = 'invalid-cwe';
  else if ((support = related(atCited)).length) verdict = 'supported';
  else if (named.length && !found) verdict = 'code-not-found';
  else if (misplaced && cited) verdict = 'wrong-line';
  else if (misplaced && (support = related(findingsThere)).length) verdict = 'supported';
  else if (!named.length && !citedSpan.length) verdict = 'unverifiable';
  else verdict = 'unsupported';
  return {
    number: item.number,
    heading: item.heading,
    ...(cwe ? { cwe } : {}),
    ...(cited ? { cited } : {}),
    ...(cited && inFile ? { citedCode: lines.slice(cited.start - 1, cited.end).join('\n') } : {}),
    named,
    atCitedLines: atCitedLines.map((n) => n.code),
    findingsThere,
    support,
    verdict,
  };
}

/**
 * Checks each claim of a free-text review against the file it reviews and secreview's own
 * findings on it. Pure: the caller reads the file and runs the engine.
 */
export function auditReview(
  review: ParsedReview,
  file: string,
  text: string,
  findings: readonly Finding[],
): ReviewAudit {
  const lines = sourceLines(text);
  return {
    file,
    lineCount: lines.length,
    reviewVerdict: review.verdict,
    ...(review.verdictText ? { reviewVerdictText: review.verdictText } : {}),
    claims: review.claims.map((c) => auditClaim(c, lines, findings)),
    suggestions: review.suggestions.map((s) => ({
      number: s.number,
      heading: s.heading,
      named: locate(lines, s),
    })),
    findings: findings.filter((f) => f.kind === 'defect' && !f.suppressed),
  };
}
