import { existsSync, readFileSync } from 'node:fs';
import type { Finding } from '../core/index.js';
import { getWeakness, PILLAR_IDS } from '../cwe/catalog.js';
import { CONFIDENCES } from '../core/index.js';
import type { LineSpan } from './code-match.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A prompt template from prompts/<name>.md: its system and user parts. */
export interface PromptTemplate {
  /** "review.v1": the file name, reported and part of the cache key. */
  version: string;
  system: string;
  user: string;
}

export const REVIEW_PROMPT = 'review.v1';
export const REPAIR_PROMPT = 'repair.v1';

const cache = new Map<string, PromptTemplate>();

/**
 * Where prompts/ is from this module: one folder up from the bundle (dist/bundle/ → dist/prompts/),
 * two from the modules (src/llm/ → the repository's, dist/src/llm/ → dist/prompts/).
 */
const PROMPT_DIRS = ['../prompts/', '../../prompts/'];

/** Reads prompts/<version>.md (from the repository, or dist/prompts/ once built). */
export function loadTemplate(version: string): PromptTemplate {
  const hit = cache.get(version);
  if (hit) return hit;
  const urls = PROMPT_DIRS.map((dir) => new URL(`${dir}${version}.md`, import.meta.url));
  const text = readFileSync(urls.find((url) => existsSync(url)) ?? urls[urls.length - 1], 'utf8');
  const tpl = { version, ...parseTemplate(text) };
  cache.set(version, tpl);
  return tpl;
}

/** Splits a template at its `<!-- system -->` and `<!-- user -->` markers; other comments are notes. */
export function parseTemplate(text: string): { system: string; user: string } {
  const parts: Record<string, string> = {};
  const re = /<!--\s*(system|user)\s*-->\n?/g;
  const marks = [...text.matchAll(re)];
  marks.forEach((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const to = i + 1 < marks.length ? marks[i + 1].index : text.length;
    parts[m[1]] = text.slice(from, to).trim();
  });
  if (parts.user === undefined) throw new Error('prompt template has no <!-- user --> part');
  return { system: parts.system ?? '', user: parts.user };
}

/** Fills {{name}} placeholders; a placeholder without a value is a bug in the template. */
export function render(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`prompt template uses unknown placeholder {{${name}}}`);
    return v;
  });
}

/** The answer's JSON schema, given to the model and to the server's structured-output mode. */
export const CLAIMS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['claims'],
  properties: {
    claims: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['cwe', 'start_line', 'end_line', 'quote', 'explanation', 'fix', 'confidence'],
        properties: {
          cwe: { type: 'integer', minimum: 1 },
          start_line: { type: 'integer', minimum: 1 },
          end_line: { type: 'integer', minimum: 1 },
          quote: { type: 'string' },
          explanation: { type: 'string' },
          fix: { type: 'string' },
          confidence: { enum: [...CONFIDENCES] },
        },
      },
    },
  },
} as const;

export function numberedCode(lines: readonly string[], span: LineSpan): string {
  const width = String(span.end).length;
  const out: string[] = [];
  for (let n = span.start; n <= span.end; n++) out.push(`${String(n).padStart(width)} | ${lines[n - 1]}`);
  return out.join('\n');
}

function findingsContext(findings: readonly Finding[], span: LineSpan): string {
  const inPart = findings.filter(
    (f) => f.kind === 'defect' && f.location.start.line <= span.end && f.location.end.line >= span.start,
  );
  if (!inPart.length) return '(none)';
  return inPart
    .map((f) => {
      const { start, end } = f.location;
      const at = end.line > start.line ? `lines ${start.line}-${end.line}` : `line ${start.line}`;
      return `- ${at}: CWE-${f.cwe} ${getWeakness(f.cwe)?.name ?? ''} (${f.ruleId}): ${f.message}`;
    })
    .join('\n');
}

export function pillarList(): string {
  return PILLAR_IDS.map((id) => `- CWE-${id} ${getWeakness(id)?.name ?? ''}`).join('\n');
}

export interface PartSpec {
  file: string;
  lines: readonly string[];
  span: LineSpan;
  part: number;
  parts: number;
  /** Deterministic findings of this file. */
  findings: readonly Finding[];
}

export function reviewMessages(tpl: PromptTemplate, spec: PartSpec): ChatMessage[] {
  const vars = {
    file: spec.file,
    part: String(spec.part),
    parts: String(spec.parts),
    first_line: String(spec.span.start),
    last_line: String(spec.span.end),
    code: numberedCode(spec.lines, spec.span),
    findings: findingsContext(spec.findings, spec.span),
    pillars: pillarList(),
    schema: JSON.stringify(CLAIMS_SCHEMA),
  };
  const messages: ChatMessage[] = [];
  if (tpl.system) messages.push({ role: 'system', content: render(tpl.system, vars) });
  messages.push({ role: 'user', content: render(tpl.user, vars) });
  return messages;
}

export function repairMessage(tpl: PromptTemplate, error: string): ChatMessage {
  return { role: 'user', content: render(tpl.user, { error, schema: JSON.stringify(CLAIMS_SCHEMA) }) };
}

/** Rough token count (4 characters a token): budgets are estimates, not a tokenizer. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Splits a file into line spans whose prompts fit the budget. A part ends, where it can, before a
 * top-level statement so that functions stay whole.
 */
export function planParts(
  lines: readonly string[],
  budgetTokens: number,
  overheadTokens: number,
): LineSpan[] {
  const room = Math.max(1, budgetTokens - overheadTokens);
  const cost = (n: number): number => estimateTokens(`${n} | ${lines[n - 1]}\n`);
  const spans: LineSpan[] = [];
  let start = 1;
  while (start <= lines.length) {
    let used = 0;
    let end = start - 1;
    while (end < lines.length && (end < start || used + cost(end + 1) <= room)) {
      end++;
      used += cost(end);
    }
    if (end < lines.length) {
      // Prefer cutting before a top-level line in the second half of the part.
      for (let cut = end; cut > start + (end - start) / 2; cut--) {
        if (/^\S/.test(lines[cut] ?? '')) {
          end = cut;
          break;
        }
      }
    }
    spans.push({ start, end });
    start = end + 1;
  }
  return spans;
}
