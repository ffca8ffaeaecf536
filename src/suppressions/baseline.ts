import type { Finding } from '../core/index.js';
import { terminalSafe } from '../core/escape.js';

/**
 * A baseline records accepted findings by fingerprint (rule, file, normalized code, enclosing
 * function/class; no line numbers), with how many copies were accepted, so that moving code or
 * adding lines above it keeps it hidden while a further copy of the same pattern is new.
 */
export interface BaselineEntry {
  fingerprint: string;
  count: number;
  /** For people reading the file; matching uses the fingerprint only. */
  ruleId: string;
  file: string;
  context: string;
  snippet: string;
}

export interface Baseline {
  version: 1;
  tool: 'secreview';
  findings: BaselineEntry[];
}

export class BaselineError extends Error {}

/** The baseline of the findings that are not already suppressed, grouped by fingerprint. */
export function createBaseline(findings: readonly Finding[]): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const f of findings) {
    if (f.suppressed) continue;
    const e = entries.get(f.fingerprint);
    if (e) e.count++;
    else
      entries.set(f.fingerprint, {
        fingerprint: f.fingerprint,
        count: 1,
        ruleId: f.ruleId,
        file: f.location.file,
        context: f.context,
        snippet: f.snippet,
      });
  }
  const list = [...entries.values()].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  return { version: 1, tool: 'secreview', findings: list };
}

export function formatBaseline(b: Baseline): string {
  return JSON.stringify(b, null, 2) + '\n';
}

export function parseBaseline(text: string, path: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    // Only the position: the parser's message quotes the text, which may be any file of the user's.
    const at = /position (\d+)/.exec((e as Error).message)?.[1];
    throw new BaselineError(
      `${terminalSafe(path)}: not a secreview baseline (invalid JSON${at ? ` at character ${at}` : ''})`,
    );
  }
  const d = data as Partial<Baseline> | null;
  if (!d || d.tool !== 'secreview' || d.version !== 1 || !Array.isArray(d.findings)) {
    throw new BaselineError(
      `${terminalSafe(path)}: not a secreview baseline (expected {"version": 1, "tool": "secreview", "findings": [...]}; create one with \`secreview baseline create\`)`,
    );
  }
  d.findings.forEach((e, i) => {
    if (typeof e?.fingerprint !== 'string' || !Number.isInteger(e.count) || (e.count as number) < 1) {
      throw new BaselineError(
        `${terminalSafe(path)}: findings[${i}] needs a string "fingerprint" and a positive integer "count"`,
      );
    }
  });
  return d as Baseline;
}

/**
 * Marks as suppressed (kind `baseline`) as many findings of each fingerprint as the baseline
 * accepted. Findings are taken in the given (file, line) order, so when a pattern gained a copy,
 * the later one is reported as new. Pure.
 */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  const remaining = new Map<string, number>();
  for (const e of baseline.findings) {
    remaining.set(e.fingerprint, (remaining.get(e.fingerprint) ?? 0) + e.count);
  }
  return findings.map((f) => {
    if (f.suppressed) return f;
    const left = remaining.get(f.fingerprint) ?? 0;
    if (left <= 0) return f;
    remaining.set(f.fingerprint, left - 1);
    return { ...f, suppressed: { kind: 'baseline' as const, justification: 'accepted in the baseline' } };
  });
}
