import type { ChangedFileLines, Finding } from '../core/index.js';

/**
 * Which findings of a changed file are about the change:
 * - `added`: the primary location touches an added or changed line (default);
 * - `context`: it touches a line shown in the diff (added or context);
 * - `file`: anywhere in a changed file.
 */
export const SCOPES = ['added', 'context', 'file'] as const;
export type Scope = (typeof SCOPES)[number];

function touches(f: Finding, lines: ReadonlySet<number>): boolean {
  for (let l = f.location.start.line; l <= f.location.end.line; l++) if (lines.has(l)) return true;
  return false;
}

export interface Selection {
  findings: Finding[];
  /** In-scope findings left out because the base already had them. */
  existing: number;
  /** Findings of changed files outside the scope. */
  outOfScope: number;
}

/**
 * Keeps in-scope findings and, unless `showExisting`, drops those that already existed at the
 * base: per fingerprint, as many head findings as the base had are "existing", taken first from
 * findings on unchanged lines, so a copy pasted into the change is new even when the original
 * stays. Pure.
 */
export function selectChangeFindings(
  findings: readonly Finding[],
  baseFindings: readonly Finding[],
  files: readonly ChangedFileLines[],
  scope: Scope,
  showExisting: boolean,
): Selection {
  const added = new Map(files.map((f) => [f.file, new Set(f.added)]));
  const shown = new Map(files.map((f) => [f.file, new Set([...f.added, ...f.context])]));
  const isChanged = (f: Finding): boolean => touches(f, added.get(f.location.file) ?? new Set());
  const existingSet = new Set<Finding>();
  if (!showExisting) {
    const baseCounts = new Map<string, number>();
    for (const b of baseFindings) baseCounts.set(b.fingerprint, (baseCounts.get(b.fingerprint) ?? 0) + 1);
    const ordered = [...findings].sort((a, b) => Number(isChanged(a)) - Number(isChanged(b)));
    for (const f of ordered) {
      const left = baseCounts.get(f.fingerprint) ?? 0;
      if (left <= 0) continue;
      baseCounts.set(f.fingerprint, left - 1);
      existingSet.add(f);
    }
  }
  let existing = 0;
  let outOfScope = 0;
  const kept: Finding[] = [];
  for (const f of findings) {
    const file = f.location.file;
    const inScope =
      scope === 'file'
        ? added.has(file)
        : scope === 'context'
          ? touches(f, shown.get(file) ?? new Set())
          : isChanged(f);
    if (!inScope) outOfScope++;
    else if (existingSet.has(f)) existing++;
    else kept.push(f);
  }
  return { findings: kept, existing, outOfScope };
}
