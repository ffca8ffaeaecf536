import { fingerprint, type Finding, type Location } from '../../src/core/index.js';
import { compareFindings } from '../../src/engine/analyze.js';
import type { ReportInput } from '../../src/reporters/index.js';
import type { RuleMeta } from '../../src/rules/rule.js';

/**
 * A fixed report, built by hand so that the golden files change only when a reporter changes, never
 * when a rule does. It holds a defect with a data flow, a multi-line defect, a suppressed defect, a
 * suggestion over several lines, a non-ASCII snippet, a file with syntax errors, skipped files (one
 * with a space in its path) and a notice.
 */

function loc(file: string, line: number, column: number, endLine: number, endColumn: number): Location {
  return { file, start: { line, column }, end: { line: endLine, column: endColumn } };
}

function rule(meta: Omit<RuleMeta, 'languages' | 'description'> & { description?: string }): RuleMeta {
  return { languages: ['python'], description: `${meta.title}.`, ...meta };
}

export const RULES: RuleMeta[] = [
  rule({
    id: 'python/os-command-injection',
    title: 'OS command built from untrusted data',
    cwe: 78,
    severity: 'high',
    confidence: 'medium',
    description: 'A shell command is built from data that is not constant.',
    fix: 'Pass an argument list with shell=False.',
    example: {
      bad: 'subprocess.run(f"ping {host}", shell=True)',
      good: 'subprocess.run(["ping", host])',
    },
  }),
  rule({
    id: 'python/unsafe-deserialization',
    title: 'Deserialization of untrusted data',
    cwe: 502,
    severity: 'critical',
    confidence: 'high',
    fix: 'Use json, or a format without code execution.',
  }),
  rule({
    id: 'python/hardcoded-secret',
    title: 'Hard-coded password',
    cwe: 798,
    severity: 'medium',
    confidence: 'medium',
    fix: 'Read the secret from the environment or a secret store.',
  }),
  rule({
    id: 'python/weak-cipher',
    title: 'Broken cipher',
    cwe: 327,
    severity: 'low',
    confidence: 'high',
    fix: 'Use AES-GCM or ChaCha20-Poly1305.',
  }),
  rule({
    id: 'python/broad-except',
    title: 'Exception swallowed',
    cwe: 396,
    severity: 'low',
    confidence: 'low',
    kind: 'suggestion',
    fix: 'Catch the specific exceptions and log the rest.',
  }),
];

function finding(f: Omit<Finding, 'fingerprint'>): Finding {
  return { ...f, fingerprint: fingerprint(f.ruleId, f.location.file, f.snippet, f.context) };
}

/** In the engine's order: by file, line, column, rule. */
export const FINDINGS: Finding[] = [
  finding({
    kind: 'defect',
    ruleId: 'python/os-command-injection',
    cwe: 78,
    severity: 'high',
    confidence: 'high',
    confidenceReason: 'proven flow from `request.args["host"]` (line 12)',
    location: loc('app/views.py', 14, 11, 14, 51),
    message: '`subprocess.check_output` runs a shell command built from `request.args["host"]` (line 12).',
    fix: 'Pass an argument list with shell=False.',
    snippet: 'out = subprocess.check_output(cmd, shell=True)',
    context: 'ping',
    flow: [
      { location: loc('app/views.py', 12, 12, 12, 33), note: '`host` comes from `request.args["host"]`' },
      { location: loc('app/views.py', 13, 5, 13, 30), note: '`cmd` is built from `host`' },
      { location: loc('app/views.py', 14, 35, 14, 38), note: '`cmd` reaches `subprocess.check_output`' },
    ],
  }),
  finding({
    kind: 'defect',
    ruleId: 'python/unsafe-deserialization',
    cwe: 502,
    severity: 'critical',
    confidence: 'high',
    confidenceReason: "the value's origin is unknown: `blob` is a parameter with no caller in the project",
    location: loc('app/views.py', 20, 12, 22, 6),
    message: '`pickle.loads` deserializes non-constant `blob`; a crafted pickle runs code.',
    fix: 'Use json, or a format without code execution.',
    snippet: 'obj = pickle.loads(\nblob,\n)',
    context: 'load',
  }),
  finding({
    kind: 'defect',
    ruleId: 'python/hardcoded-secret',
    cwe: 798,
    severity: 'medium',
    confidence: 'medium',
    confidenceReason: 'name heuristic: the variable is named `PASSWORD`',
    location: loc('app/views.py', 30, 1, 30, 24),
    message: '`PASSWORD` is assigned the constant string literal "hunter2".',
    fix: 'Read the secret from the environment or a secret store.',
    snippet: 'PASSWORD = "hunter2"',
    context: '',
    suppressed: { kind: 'inline', justification: 'test credentials for the local mock' },
  }),
  finding({
    kind: 'defect',
    ruleId: 'python/weak-cipher',
    cwe: 327,
    severity: 'low',
    confidence: 'high',
    confidenceReason: 'matched in the code as written',
    // "é" and "€" are one UTF-16 unit each; the call starts at column 19.
    location: loc('lib/crypto.py', 5, 19, 5, 37),
    message: '`Crypto.Cipher.DES.new` uses DES, a broken cipher.',
    fix: 'Use AES-GCM or ChaCha20-Poly1305.',
    snippet: 'clé = "€"; c = DES.new(key, mode)',
    context: 'Vault.seal',
  }),
  finding({
    kind: 'suggestion',
    ruleId: 'python/broad-except',
    cwe: 396,
    severity: 'low',
    confidence: 'low',
    confidenceReason: 'matched in the code as written',
    location: loc('app/views.py', 4, 5, 4, 12),
    lines: [4, 9, 15],
    message: '`except Exception: pass` hides errors',
    fix: 'Catch the specific exceptions and log the rest.',
    snippet: 'except Exception:',
    context: '',
  }),
].sort(compareFindings);

export const FILES: ReportInput['files'] = [
  { file: 'app/views.py', status: 'reviewed', lineCount: 40 },
  { file: 'lib/crypto.py', status: 'reviewed', lineCount: 12, syntaxErrorLines: [7, 9] },
  { file: 'assets/logo.py', status: 'skipped', reason: 'binary', detail: 'contains NUL bytes' },
  {
    file: 'legacy/old code.py',
    status: 'skipped',
    reason: 'not-utf8',
    detail: 'invalid UTF-8 at byte 113',
  },
];

export const INPUT: ReportInput = {
  findings: FINDINGS,
  files: FILES,
  rules: RULES,
  toolVersion: '0.1.0-test',
  notices: ['The LLM endpoint did not answer; the review used the rules only.'],
};

/** One clean reviewed file: the verdict sentence and nothing else. */
export const CLEAN_INPUT: ReportInput = {
  findings: [],
  files: [{ file: 'clean.py', status: 'reviewed', lineCount: 9 }],
  rules: RULES,
  toolVersion: '0.1.0-test',
};

/** Every file skipped: no verdict can be given. */
export const NOTHING_REVIEWED_INPUT: ReportInput = {
  findings: [],
  files: [
    {
      file: 'big.py',
      status: 'skipped',
      reason: 'too-large',
      detail: '2000000 bytes is over the 1048576-byte limit',
    },
  ],
  rules: RULES,
  toolVersion: '0.1.0-test',
};
