import { NO_DEFECTS_SENTENCE, type FileReport, type Finding } from '../core/index.js';
import { catalogVersion } from '../cwe/catalog.js';
import {
  activeDefects,
  activeSuggestions,
  cweLabel,
  NO_FILES_REVIEWED,
  plural,
  type ReportInput,
} from './context.js';
import { llmJson } from './llm.js';

/** Bumped on any incompatible change of the JSON report; documented in schemas/report.schema.json. */
export const JSON_SCHEMA_VERSION = '1.0';

function findingJson(f: Finding): Record<string, unknown> {
  const label = cweLabel(f.cwe);
  return {
    kind: f.kind,
    ruleId: f.ruleId,
    cwe: { id: f.cwe, name: label.name },
    pillar: label.pillar ?? null,
    severity: f.severity,
    confidence: f.confidence,
    confidenceReason: f.confidenceReason,
    location: f.location,
    ...(f.lines ? { lines: f.lines } : {}),
    message: f.message,
    fix: f.fix,
    snippet: f.snippet,
    context: f.context,
    fingerprint: f.fingerprint,
    flow: f.flow ?? [],
    suppressed: f.suppressed ?? null,
    ...(f.llmConfirmation ? { llmConfirmation: f.llmConfirmation } : {}),
  };
}

/** Field by field, so that a new FileReport field cannot leak into the versioned format unnoticed. */
function fileJson(f: FileReport): Record<string, unknown> {
  return {
    file: f.file,
    status: f.status,
    ...(f.reason ? { reason: f.reason } : {}),
    ...(f.detail ? { detail: f.detail } : {}),
    ...(f.syntaxErrorLines?.length ? { syntaxErrorLines: f.syntaxErrorLines } : {}),
    ...(f.lineCount !== undefined ? { lineCount: f.lineCount } : {}),
  };
}

export function formatJson(input: ReportInput): string {
  const reviewed = input.files.filter((f) => f.status === 'reviewed');
  const defects = activeDefects(input.findings);
  const report = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'secreview', version: input.toolVersion, cweCatalog: catalogVersion() },
    verdict:
      reviewed.length === 0
        ? NO_FILES_REVIEWED
        : defects.length === 0
          ? NO_DEFECTS_SENTENCE
          : `${plural(defects.length, 'security defect')} detected.`,
    summary: {
      filesReviewed: reviewed.length,
      filesSkipped: input.files.length - reviewed.length,
      linesReviewed: reviewed.reduce((n, f) => n + (f.lineCount ?? 0), 0),
      defects: defects.length,
      suggestions: activeSuggestions(input.findings).length,
      suppressed: input.findings.filter((f) => f.suppressed).length,
      bySeverity: Object.fromEntries(
        (['critical', 'high', 'medium', 'low'] as const).map((s) => [
          s,
          defects.filter((d) => d.severity === s).length,
        ]),
      ),
    },
    findings: input.findings.map(findingJson),
    files: input.files.map(fileJson),
    notices: input.notices ?? [],
    ...llmJson(input.llm),
  };
  return JSON.stringify(report, null, 2) + '\n';
}
