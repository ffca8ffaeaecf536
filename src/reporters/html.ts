import { NO_DEFECTS_SENTENCE, SEVERITIES, CONFIDENCES, type Finding } from '../core/index.js';
import {
  activeDefects,
  activeSuggestions,
  cweHeading,
  cweShortName,
  groupByFile,
  lineRange,
  NO_FILES_REVIEWED,
  partialReviewNote,
  plural,
  SKIP_REASONS,
  summaryLine,
  type ReportInput,
  stepPlace,
} from './context.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { confirmationLine, llmNotes, llmSummary } from './llm.js';

/** Text into HTML: the five characters that start markup or end an attribute are escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
const h = escapeHtml;

/** Nothing is fetched when the page is opened: no network, only its own inline style and script. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function cweLink(cwe: number, text: string): string {
  return `<a href="https://cwe.mitre.org/data/definitions/${cwe}.html" rel="noreferrer">${h(text)}</a>`;
}

function codeBlock(f: Finding): string {
  const lines = f.snippet.split('\n').map((l) => l.replace(/\r$/, ''));
  const body = lines
    .map((l, i) => {
      const n = f.location.start.line + i;
      return `<span data-line="${n}"><span class="ln">${n}</span>${h(l)}</span>`;
    })
    .join('\n');
  return `<pre class="code">${body}</pre>`;
}

function findingHtml(f: Finding): string {
  const flow = f.flow?.length
    ? `<ol class="flow">${f.flow
        .map((s) =>
          s.location.file === f.location.file
            ? `<li><button type="button" data-line="${s.location.start.line}">line ${s.location.start.line}</button>: ${h(s.note)}</li>`
            : `<li>${h(stepPlace(s, f))}: ${h(s.note)}</li>`,
        )
        .join('')}</ol>`
    : '';
  const confirmed = confirmationLine(f);
  const suppressed = f.suppressed
    ? `<p class="muted">Suppressed (${h(f.suppressed.kind)})${f.suppressed.justification ? `: ${h(f.suppressed.justification)}` : ''}</p>`
    : '';
  return (
    `<article class="finding s-${f.severity}${f.suppressed ? ' suppressed' : ''}" data-kind="${f.kind}" ` +
    `data-severity="${f.severity}" data-confidence="${f.confidence}" data-rule="${h(f.ruleId)}" ` +
    `data-file="${h(f.location.file)}" data-suppressed="${f.suppressed ? 'true' : 'false'}">` +
    `<div class="head"><span class="where">${h(lineRange(f))}</span>` +
    `<span class="sev sev-${f.severity}">${f.severity}</span>` +
    `<strong>${cweLink(f.cwe, `CWE-${f.cwe} ${cweShortName(f.cwe)}`)}</strong>` +
    `<span class="rule">${h(f.ruleId)}</span></div>` +
    `<p>${h(f.message)}</p>${codeBlock(f)}${flow}` +
    `<p class="muted">Confidence ${f.confidence}: ${h(f.confidenceReason)}. ${h(cweHeading(f.cwe))}.</p>` +
    (confirmed ? `<p>${h(confirmed)}</p>` : '') +
    `<p class="fix"><b>Fix:</b> ${h(f.fix)}</p>${suppressed}</article>`
  );
}

function countTable(title: string, rows: readonly (readonly [string, number])[]): string {
  if (!rows.length) return '';
  return (
    `<table class="summary"><thead><tr><th>${h(title)}</th><th>defects</th></tr></thead><tbody>` +
    rows.map(([k, n]) => `<tr><td>${k}</td><td>${n}</td></tr>`).join('') +
    '</tbody></table>'
  );
}

function counted<T>(items: readonly T[], key: (x: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function options(values: readonly string[]): string {
  return values.map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
}

function filtersHtml(defects: readonly Finding[]): string {
  const boxes = (name: string, values: readonly string[]): string =>
    `<fieldset><legend class="hidden">${name}</legend>${values
      .map((v) => `<label><input type="checkbox" name="${name}" value="${v}" checked> ${v}</label>`)
      .join(' ')}</fieldset>`;
  const rules = [...new Set(defects.map((f) => f.ruleId))].sort();
  const files = [...new Set(defects.map((f) => f.location.file))];
  return (
    '<form id="filters" onsubmit="return false">' +
    `<span>Severity:</span>${boxes('severity', SEVERITIES)}` +
    `<span>Confidence:</span>${boxes('confidence', CONFIDENCES)}` +
    `<label>Rule <select name="rule"><option value="">all</option>${options(rules)}</select></label>` +
    `<label>File <select name="file"><option value="">all</option>${options(files)}</select></label>` +
    '<label><input type="checkbox" name="suppressed"> suppressed</label>' +
    '<button type="reset">Reset</button> <span id="count"></span></form>'
  );
}

/**
 * The review as one self-contained web page: verdict, counts by severity, CWE and file, every
 * defect with its code, flow and fix, filters, then the suggestions and the files not reviewed.
 * Every text from the repository is escaped; the page fetches nothing (its CSP forbids it).
 */
export function formatHtml(input: ReportInput): string {
  const reviewed = input.files.filter((f) => f.status === 'reviewed');
  const defects = activeDefects(input.findings);
  const shownDefects = input.findings.filter((f) => f.kind === 'defect');
  const verdict =
    reviewed.length === 0
      ? NO_FILES_REVIEWED
      : defects.length === 0
        ? NO_DEFECTS_SENTENCE
        : `${plural(defects.length, 'security defect')} detected.`;
  const out: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>secreview: ${h(verdict)}</title><style>${HTML_STYLE}</style></head><body>`,
    '<header><h1>Security review</h1>',
    `<p class="meta">secreview ${h(input.toolVersion)} · ${h(summaryLine(input))}` +
      (input.configFile ? ` · configuration ${h(input.configFile)}` : ' · default configuration') +
      '</p></header>',
    `<p class="verdict ${defects.length ? 'bad' : 'good'}" id="verdict">${h(verdict)}</p>`,
  ];
  if (defects.length) {
    out.push(
      '<section id="summary"><h2>Summary</h2><div class="cards">',
      ...SEVERITIES.map(
        (s) =>
          `<div class="card"><span class="sev sev-${s}">${s}</span><b>${defects.filter((d) => d.severity === s).length}</b></div>`,
      ),
      '</div><div class="cards">',
      countTable(
        'CWE',
        counted(defects, (d) => String(d.cwe)).map(
          ([cwe, n]) => [cweLink(Number(cwe), `CWE-${cwe} ${cweShortName(Number(cwe))}`), n] as const,
        ),
      ),
      countTable(
        'File',
        counted(defects, (d) => d.location.file).map(([file, n]) => [h(file), n] as const),
      ),
      '</div></section>',
    );
  }
  if (shownDefects.length) {
    out.push('<section id="findings"><h2>Findings</h2>', filtersHtml(shownDefects));
    for (const [file, list] of groupByFile(shownDefects)) {
      out.push(`<section class="file"><h3>${h(file)}</h3>`, ...list.map(findingHtml), '</section>');
    }
    out.push('</section>');
  }
  const suggestions = activeSuggestions(input.findings);
  if (suggestions.length) {
    out.push(
      '<section id="suggestions"><h2>Suggestions for improvement</h2>',
      '<p class="muted">Not security defects; they never change the verdict.</p>',
    );
    for (const [file, list] of groupByFile(suggestions)) {
      out.push(
        `<h3>${h(file)}</h3><ul>`,
        ...list.map(
          (s) =>
            `<li><span class="where">${h(lineRange(s))}</span>: ${h(s.message)} <span class="muted">${h(s.ruleId)}</span><br>${h(s.fix)}</li>`,
        ),
        '</ul>',
      );
    }
    out.push('</section>');
  }
  const notes: string[] = [];
  for (const f of input.files) {
    if (f.status === 'skipped') {
      notes.push(
        `<li><code>${h(f.file)}</code>: skipped, ${h(SKIP_REASONS[f.reason ?? 'internal-error'])}${f.detail ? ` (${h(f.detail)})` : ''}</li>`,
      );
    } else {
      const note = partialReviewNote(f);
      if (note) notes.push(`<li><code>${h(f.file)}</code>: ${h(note)}</li>`);
    }
  }
  for (const n of input.notices ?? []) notes.push(`<li>${h(n)}</li>`);
  if (input.llm) {
    notes.push(`<li>${h(llmSummary(input.llm))}</li>`, ...llmNotes(input.llm).map((n) => `<li>${h(n)}</li>`));
  }
  if (notes.length)
    out.push('<section id="notes"><h2>Skipped files and notes</h2><ul>', ...notes, '</ul></section>');
  out.push(`<script>${HTML_SCRIPT}</script></body></html>`, '');
  return out.join('\n');
}
