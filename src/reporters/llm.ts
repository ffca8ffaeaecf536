import type * as Sarif from 'sarif';
import { markdownCode, markdownFence, markdownMessage } from '../core/escape.js';
import type { Finding } from '../core/index.js';
import { rejectionSummary } from '../llm/verify.js';
import { REJECTION_REASONS, type LlmObservation, type LlmReport } from '../llm/types.js';
import { codeFenceFor } from '../lang/registry.js';
import { cweHeading, cweLabel, plural } from './context.js';

/** How the LLM layer shows up in each format; every function is pure and used only when it ran. */

function span(o: { startLine: number; endLine: number }): string {
  return o.endLine > o.startLine ? `lines ${o.startLine}-${o.endLine}` : `line ${o.startLine}`;
}

function movedNote(movedFrom: number | undefined, to: number): string {
  return movedFrom === undefined
    ? ''
    : `Moved: the model cited line ${movedFrom}; the quoted code is at line ${to}.`;
}

/** One line under a deterministic finding that an LLM claim agrees with. */
export function confirmationLine(f: Finding): string | undefined {
  const c = f.llmConfirmation;
  if (!c) return undefined;
  const cwe = c.cwe === f.cwe ? '' : ` as CWE-${c.cwe}`;
  const moved = c.movedFrom !== undefined ? ` (it cited line ${c.movedFrom})` : '';
  return `Confirmed by the LLM reviewer${cwe}${moved}: ${c.explanation}`;
}

/** "LLM review by m (prompt review.v1): 1 finding confirmed, 2 observations, 3 claims rejected." */
export function llmSummary(r: LlmReport): string {
  return (
    `LLM review by ${r.model} (prompt ${r.promptVersion}): ${plural(r.confirmed, 'finding')} confirmed, ` +
    `${plural(r.observations.length, 'observation')}, ${plural(r.rejected.length, 'claim')} rejected.`
  );
}

/** Rejections by reason and what the model did not see, as plain sentences. */
export function llmNotes(r: LlmReport): string[] {
  return [
    ...rejectionSummary(r.rejected),
    ...r.unseen.map((u) => `The model did not see ${u.file} ${span(u)}: ${u.reason}.`),
  ];
}

function observationText(n: number, o: LlmObservation): string[] {
  const out = [`${n}. ${cweHeading(o.cwe)}, ${span(o)}: ${o.explanation}`];
  out.push(`   Confidence: ${o.confidence} (the model said ${o.modelConfidence}).`);
  const moved = movedNote(o.movedFrom, o.startLine);
  if (moved) out.push(`   ${moved}`);
  o.code.split('\n').forEach((l, i) => out.push(`   ${o.startLine + i} | ${l}`));
  if (o.fix) out.push(`   Fix: ${o.fix}`);
  return out;
}

export function llmTextSections(r: LlmReport | undefined): string[] {
  if (!r) return [];
  const sections: string[] = [];
  if (r.observations.length) {
    const lines = [
      "LLM observations (checked against the code, not confirmed by secreview's analysis; not counted as defects):",
    ];
    let file = '';
    let n = 0;
    for (const o of r.observations) {
      if (o.file !== file) {
        file = o.file;
        n = 0;
        lines.push(file);
      }
      lines.push(...observationText(++n, o));
    }
    sections.push(lines.join('\n'));
  }
  const rejected = r.rejected.map(
    (x) =>
      `  - ${x.file} ${span(x.claim)}, CWE-${x.claim.cwe}: ${REJECTION_REASONS[x.reason]}${x.detail ? ` (${x.detail})` : ''}`,
  );
  sections.push([llmSummary(r), ...llmNotes(r).map((l) => `- ${l}`), ...rejected].join('\n'));
  return sections;
}

export function llmMarkdown(r: LlmReport | undefined): string[] {
  if (!r) return [];
  const out: string[] = [];
  if (r.observations.length) {
    out.push(
      '### LLM observations',
      '',
      "_Checked against the code, not confirmed by secreview's analysis; not counted as defects._",
      '',
    );
    r.observations.forEach((o, i) => {
      out.push(
        `${i + 1}. **${cweHeading(o.cwe)}**, ${markdownCode(o.file)} ${span(o)}: ${markdownMessage(o.explanation)}`,
        '',
      );
      out.push(
        `   Confidence **${o.confidence}** (the model said ${o.modelConfidence}).${o.movedFrom !== undefined ? ` ${movedNote(o.movedFrom, o.startLine)}` : ''}`,
        '',
      );
      out.push(
        markdownFence(o.code, codeFenceFor(o.file))
          .split('\n')
          .map((l) => `   ${l}`)
          .join('\n'),
        '',
      );
      if (o.fix) out.push(`   **Fix:** ${markdownMessage(o.fix)}`, '');
    });
  }
  out.push(`_${llmSummary(r)}_`, '');
  for (const n of llmNotes(r)) out.push(`- ${markdownMessage(n)}`);
  out.push('');
  return out;
}

export function llmJson(r: LlmReport | undefined): Record<string, unknown> {
  if (!r) return {};
  return {
    llm: {
      model: r.model,
      promptVersion: r.promptVersion,
      confirmed: r.confirmed,
      observations: r.observations.map((o) => ({
        file: o.file,
        cwe: { id: o.cwe, name: cweLabel(o.cwe).name },
        pillar: cweLabel(o.cwe).pillar ?? null,
        startLine: o.startLine,
        endLine: o.endLine,
        code: o.code,
        explanation: o.explanation,
        fix: o.fix,
        confidence: o.confidence,
        modelConfidence: o.modelConfidence,
        movedFrom: o.movedFrom ?? null,
      })),
      rejected: r.rejected.map((x) => ({
        file: x.file,
        cwe: x.claim.cwe,
        startLine: x.claim.startLine,
        endLine: x.claim.endLine,
        reason: x.reason,
        message: REJECTION_REASONS[x.reason],
        detail: x.detail,
      })),
      unseen: r.unseen,
    },
  };
}

export const LLM_OBSERVATION_RULE_ID = 'secreview/llm-observation';

/** SARIF: observations are notes of one extra rule; rejections and gaps are notifications. */
export function llmSarif(
  r: LlmReport | undefined,
  ruleIndex: number,
  location: (file: string, startLine: number, endLine: number) => Sarif.Location,
): { rules: Sarif.ReportingDescriptor[]; results: Sarif.Result[]; notifications: Sarif.Notification[] } {
  if (!r) return { rules: [], results: [], notifications: [] };
  const rules: Sarif.ReportingDescriptor[] = r.observations.length
    ? [
        {
          id: LLM_OBSERVATION_RULE_ID,
          name: 'llm-observation',
          shortDescription: { text: 'LLM claim checked against the code but not confirmed by analysis' },
          defaultConfiguration: { level: 'note' },
          properties: { tags: ['security', 'llm'], precision: 'low' },
        },
      ]
    : [];
  const results = r.observations.map((o): Sarif.Result => ({
    ruleId: LLM_OBSERVATION_RULE_ID,
    ruleIndex,
    kind: 'review',
    level: 'note',
    message: { text: `${o.explanation}${o.fix ? ` Fix: ${o.fix}` : ''}` },
    locations: [location(o.file, o.startLine, o.endLine)],
    properties: {
      source: 'llm',
      model: r.model,
      cwe: `CWE-${o.cwe}`,
      cweName: cweLabel(o.cwe).name,
      pillar: cweLabel(o.cwe).pillar ? `CWE-${cweLabel(o.cwe).pillar?.id}` : undefined,
      confidence: o.confidence,
      modelConfidence: o.modelConfidence,
      ...(o.movedFrom !== undefined ? { movedFrom: o.movedFrom } : {}),
      tags: [`external/cwe/cwe-${o.cwe}`],
    },
  }));
  const notifications = [llmSummary(r), ...llmNotes(r)].map((text): Sarif.Notification => ({
    level: 'note',
    message: { text },
  }));
  return { rules, results, notifications };
}
