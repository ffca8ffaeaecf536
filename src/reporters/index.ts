import type { ReportInput } from './context.js';
import { formatGerrit } from './gerrit.js';
import { formatGithub } from './github.js';
import { formatGitlab } from './gitlab.js';
import { formatHtml } from './html.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export type { ReportInput } from './context.js';
export { summaryLine } from './context.js';

export const FORMATS = ['text', 'json', 'sarif', 'markdown', 'github', 'gerrit', 'gitlab', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const REPORTERS: Record<Format, (input: ReportInput) => string> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  markdown: formatMarkdown,
  github: formatGithub,
  gerrit: formatGerrit,
  gitlab: formatGitlab,
  html: formatHtml,
};
