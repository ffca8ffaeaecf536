import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, Location, Severity } from '../core/index.js';
import { catalogVersion } from '../cwe/catalog.js';
import type { RuleMeta } from '../rules/rule.js';
import { cweLabel, exampleBlock, SKIP_REASONS, type ReportInput } from './context.js';
import { llmSarif } from './llm.js';

const LEVEL: Record<Severity, Sarif.Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub code scanning reads this 0.0-10.0 score to rank alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/**
 * Report paths are relative to the review root (%SRCROOT%) unless the file lies outside it. Each
 * segment is percent-encoded, so `#`, `?` and `%` in file names stay part of the path.
 */
function artifactLocation(file: string): Sarif.ArtifactLocation {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function sarifLocation(l: Location): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: artifactLocation(l.file),
      region: {
        startLine: l.start.line,
        startColumn: l.start.column,
        endLine: l.end.line,
        endColumn: l.end.column,
      },
    },
  };
}

function ruleDescriptor(rule: RuleMeta): Sarif.ReportingDescriptor {
  const label = cweLabel(rule.cwe);
  const help = [
    rule.description,
    '',
    `Fix: ${rule.fix}`,
    ...(rule.example ? ['', `Instead of:\n    ${rule.example.bad}\nwrite:\n    ${rule.example.good}`] : []),
  ].join('\n');
  return {
    id: rule.id,
    name: rule.id.replace(/^.*\//, ''),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: {
      text: help,
      markdown: [
        rule.description,
        '',
        `**Fix:** ${rule.fix}`,
        ...(rule.example ? ['', ...exampleBlock(rule.id, rule.example)] : []),
      ].join('\n'),
    },
    defaultConfiguration: { level: rule.kind === 'suggestion' ? 'note' : LEVEL[rule.severity] },
    properties: {
      tags: [
        ...(rule.kind === 'suggestion' ? ['maintainability'] : ['security']),
        `external/cwe/cwe-${rule.cwe}`,
      ],
      precision: rule.confidence === 'high' ? 'high' : rule.confidence === 'medium' ? 'medium' : 'low',
      ...(rule.kind === 'suggestion' ? {} : { 'security-severity': SECURITY_SEVERITY[rule.severity] }),
      cwe: `CWE-${rule.cwe}`,
      cweName: label.name,
      pillar: label.pillar ? `CWE-${label.pillar.id}` : undefined,
    },
  };
}

function result(f: Finding, ruleIndex: number): Sarif.Result {
  const label = cweLabel(f.cwe);
  const r: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    kind: 'fail',
    level: f.kind === 'suggestion' ? 'note' : LEVEL[f.severity],
    message: { text: `${f.message} Fix: ${f.fix}` },
    locations: [sarifLocation(f.location)],
    partialFingerprints: { 'secreview/v1': f.fingerprint },
    properties: {
      kind: f.kind,
      cwe: `CWE-${f.cwe}`,
      cweName: label.name,
      pillar: label.pillar ? `CWE-${label.pillar.id}` : undefined,
      pillarName: label.pillar?.name,
      severity: f.severity,
      confidence: f.confidence,
      confidenceReason: f.confidenceReason,
      ...(f.lines ? { lines: f.lines } : {}),
      ...(f.llmConfirmation ? { llmConfirmation: f.llmConfirmation } : {}),
      tags: [`external/cwe/cwe-${f.cwe}`],
    },
  };
  if (f.flow?.length) {
    r.codeFlows = [
      {
        threadFlows: [
          {
            locations: f.flow.map((s) => ({
              location: { ...sarifLocation(s.location), message: { text: s.note } },
            })),
          },
        ],
      },
    ];
  }
  if (f.suppressed) {
    r.suppressions = [
      {
        kind: f.suppressed.kind === 'inline' ? 'inSource' : 'external',
        status: 'accepted',
        ...(f.suppressed.justification ? { justification: f.suppressed.justification } : {}),
      },
    ];
  }
  return r;
}

/** SARIF 2.1.0, as read by GitHub code scanning and other viewers. */
export function formatSarif(input: ReportInput): string {
  const usedRuleIds = new Set(input.findings.map((f) => f.ruleId));
  const rules = [...input.rules];
  for (const id of usedRuleIds) {
    if (!rules.some((r) => r.id === id)) throw new Error(`finding from unregistered rule ${id}`);
  }
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const notifications: Sarif.Notification[] = input.files
    .filter((f) => f.status === 'skipped' || f.syntaxErrorLines?.length)
    .map((f) => ({
      level: f.status === 'skipped' ? 'warning' : 'note',
      message: {
        text:
          f.status === 'skipped'
            ? `${f.file} skipped: ${SKIP_REASONS[f.reason ?? 'internal-error']}${f.detail ? ` (${f.detail})` : ''}`
            : `${f.file}: syntax errors at ${f.syntaxErrorLines?.length === 1 ? 'line' : 'lines'} ${f.syntaxErrorLines?.join(', ')}; the rest was reviewed`,
      },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file) } }],
    }));
  for (const n of input.notices ?? []) notifications.push({ level: 'warning', message: { text: n } });
  const llm = llmSarif(input.llm, rules.length, (file, startLine, endLine) => ({
    physicalLocation: { artifactLocation: artifactLocation(file), region: { startLine, endLine } },
  }));
  notifications.push(...llm.notifications);
  const log: Sarif.Log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'secreview',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            rules: [...rules.map(ruleDescriptor), ...llm.rules],
            properties: { cweCatalog: catalogVersion() },
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results: [...input.findings.map((f) => result(f, index.get(f.ruleId) ?? 0)), ...llm.results],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
