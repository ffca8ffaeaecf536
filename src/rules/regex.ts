import { createRequire } from 'node:module';
import type { AST } from '@eslint-community/regexpp';
import { adjacentOverlaps, canFailAfter, spelledAlternatives } from './regex-overlap.js';

interface RegexLibraries {
  regexpp: typeof import('@eslint-community/regexpp');
  analysis: typeof import('regexp-ast-analysis');
  scslre: typeof import('scslre');
}
let loaded: RegexLibraries | undefined;

/**
 * The regular-expression libraries, loaded on the first pattern analysed: loading them costs about
 * 100 ms, at every start of the CLI and of each worker thread, whether or not a file has a pattern.
 */
function libraries(): RegexLibraries {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = {
      regexpp: require('@eslint-community/regexpp') as RegexLibraries['regexpp'],
      analysis: require('regexp-ast-analysis') as RegexLibraries['analysis'],
      scslre: require('scslre') as RegexLibraries['scslre'],
    };
  }
  return loaded;
}

/**
 * Catastrophic-backtracking analysis of regular expressions (Python's `re` and JavaScript's engines
 * both backtrack), shared by the language packs' rules.
 *
 * Python's `re` syntax is close to JavaScript's; the differences that matter for structure are rewritten
 * before parsing with regexpp: `(?P<n>...)` → `(?<n>...)`, `(?P=n)` → `\k<n>`, `(?#...)` comments and
 * verbose-mode whitespace are dropped, inline flags become regexp flags or plain groups, `\A`/`\Z` become
 * anchors, `{,n}` becomes `{0,n}` and a `]` first in a class is escaped. Atomic groups and possessive
 * quantifiers (Python 3.11) do not backtrack; patterns using them, and conditionals `(?(1)...)`, are not
 * analysed.
 */

export interface BacktrackingIssue {
  /** The quantified part of the pattern, in JavaScript syntax (close to the Python source). */
  part: string;
  kind: 'exponential' | 'polynomial';
  explanation: string;
  /**
   * On text without line breaks (a header value, one line of a file) the match never backtracks
   * over the part: the first way it tries to split the text succeeds.
   */
  needsLineBreak?: boolean;
}

export type TranslateResult = { ok: true; source: string; flags: string } | { ok: false; reason: string };

export function translatePythonRegex(pattern: string, verbose = false): TranslateResult {
  let flags = '';
  let src = pattern;
  // Global inline flags: (?aiLmsux) at the start (Python 3.11 requires them there).
  src = src.replace(/^\(\?([aiLmsux]+)\)/, (_m, f: string) => {
    if (f.includes('x')) verbose = true;
    for (const c of f) if ('ims'.includes(c) && !flags.includes(c)) flags += c;
    return '';
  });
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const next = src[i + 1] ?? '';
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && (next === 'Z' || next === 'z')) out += '$';
      else out += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '/' ? '\\/' : c;
      continue;
    }
    if (verbose && /\s/.test(c)) continue;
    if (verbose && c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += '[';
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('>') || rest.startsWith('('))
        return { ok: false, reason: 'atomic group or conditional' };
      if (rest.startsWith('#')) {
        const end = src.indexOf(')', i);
        if (end < 0) return { ok: false, reason: 'unterminated comment' };
        i = end;
        continue;
      }
      const named = /^P<(\w+)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += 1 + named[0].length;
        continue;
      }
      const backref = /^P=(\w+)\)/.exec(rest);
      if (backref) {
        out += `\\k<${backref[1]}>`;
        i += 1 + backref[0].length;
        continue;
      }
      const scoped = /^[aiLmsux]*(-[imsx]+)?:/.exec(rest);
      if (scoped) {
        out += '(?:';
        i += 1 + scoped[0].length;
        continue;
      }
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && src[i + 1] === '+' && !verbose) {
      return { ok: false, reason: 'possessive quantifier' };
    }
    if (c === '{' && src[i + 1] === ',') {
      out += '{0';
      continue;
    }
    out += c === '/' ? '\\/' : c;
  }
  return { ok: true, source: out, flags };
}

/** Finds quantifiers that backtrack exponentially (or with a high polynomial degree) in a Python pattern. */
export function backtrackingIssues(pattern: string, verbose = false, fullmatch = false): BacktrackingIssue[] {
  const t = translatePythonRegex(pattern, verbose);
  if (!t.ok) return [];
  // re.fullmatch() fails unless the whole text matches, as if the pattern ended with \Z.
  return jsBacktrackingIssues(fullmatch ? `(?:${t.source})$` : t.source, t.flags);
}

/**
 * The same analysis of a JavaScript pattern (the body of `/.../flags`, `/` escaped), which JavaScript's
 * backtracking engine shares. A pattern regexpp cannot parse gets no claim either way.
 */
export function jsBacktrackingIssues(source: string, flagText: string): BacktrackingIssue[] {
  const { regexpp, analysis, scslre } = libraries();
  const { getConsumedChars, getLengthRange, structurallyEqual } = analysis;
  let literal: AST.RegExpLiteral;
  try {
    literal = new regexpp.RegExpParser({ ecmaVersion: 2022 }).parseLiteral(
      `/${source}/${flagText.replace(/[^dgimsuy]/g, '')}`,
    );
  } catch {
    return []; // not expressible in JavaScript syntax: no claim either way
  }
  const issues: BacktrackingIssue[] = [];
  const seen = new Set<string>();
  const add = (issue: BacktrackingIssue): void => {
    const key = `${issue.kind}:${issue.part}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  };
  // Only scslre's "Self" reports (a quantifier nested in another that can repeat it): its exponential
  // "Trade" reports between neighbouring quantifiers also fire where a required character separates them.
  for (const r of scslre.analyse(literal, { maxReports: 20 }).reports) {
    if (!r.exponential || r.type !== 'Self') continue;
    const quant = r.quant;
    add({
      part: quant.raw,
      kind: 'exponential',
      explanation: `nested repetition \`${quant.raw}\` can split the same text among iterations in exponentially many ways`,
    });
  }
  const flags = literal.flags;
  regexpp.visitRegExpAST(literal, {
    onAlternativeEnter(alternative) {
      for (const o of adjacentOverlaps(alternative, flags, analysis)) add(o);
    },
    onQuantifierEnter(q) {
      if (q.max === Infinity && canFailAfter(q, flags, analysis)) {
        const spelled = spelledAlternatives(q, flags, analysis);
        if (spelled) add(spelled);
      }
      // Without anything after the repetition that can fail, the first (greedy) attempt succeeds.
      if (q.max < 3 || !followedByElement(q)) return;
      const element = q.element;
      if (element.type !== 'Group' && element.type !== 'CapturingGroup') return;
      // (a|a)*, (.|\s)*, (\w|\d)+: two single-character alternatives that match a common character.
      if (q.max === Infinity && element.alternatives.length > 1) {
        const single = element.alternatives.filter((a) => {
          const len = getLengthRange(a, flags);
          return len.min === 1 && len.max === 1;
        });
        for (let i = 0; i < element.alternatives.length; i++)
          for (let j = i + 1; j < element.alternatives.length; j++) {
            const a = element.alternatives[i];
            const b = element.alternatives[j];
            const overlap =
              structurallyEqual(a, b) ||
              (single.includes(a) &&
                single.includes(b) &&
                !getConsumedChars(a, flags).chars.isDisjointWith(getConsumedChars(b, flags).chars));
            if (overlap)
              add({
                part: q.raw,
                kind: 'exponential',
                explanation: `alternatives \`${a.raw}\` and \`${b.raw}\` inside \`${q.raw}\` match the same characters, so each character can be matched two ways`,
              });
          }
      }
      // (.*a)+ or (.*a){12}: every character the body consumes can also be taken by an inner unbounded
      // quantifier, so the text can be divided among iterations in many ways.
      if (element.alternatives.length !== 1) return;
      const body = element.alternatives[0];
      if (getLengthRange(body, flags).min === 0) return;
      const consumed = getConsumedChars(body, flags).chars;
      for (const inner of body.elements) {
        if (inner.type !== 'Quantifier' || inner.max !== Infinity) continue;
        const e = inner.element;
        if (e.type !== 'Character' && e.type !== 'CharacterClass' && e.type !== 'CharacterSet') continue;
        const set = getConsumedChars(e, flags).chars;
        if (!consumed.isSubsetOf(set) || body.elements.length < 2) continue;
        const exponential = q.max === Infinity;
        if (!exponential && q.max < 10) continue;
        add({
          part: q.raw,
          kind: exponential ? 'exponential' : 'polynomial',
          explanation: exponential
            ? `\`${inner.raw}\` inside \`${q.raw}\` can take any character of the other iterations, so the text can be divided among iterations in exponentially many ways`
            : `\`${inner.raw}\` inside \`${q.raw}\` can take any character of the other iterations, so matching can take time of the order of n^${q.max}`,
        });
      }
    },
  });
  return issues;
}

/** True when some element follows the node in its alternative or in an enclosing one. */
function followedByElement(node: AST.Node): boolean {
  let n: AST.Node = node;
  while (n.parent) {
    const p: AST.Node = n.parent;
    if (p.type === 'Alternative') {
      const i = (p.elements as AST.Node[]).indexOf(n);
      if (i >= 0 && i < p.elements.length - 1) return true;
    }
    if (p.type === 'Pattern' || p.type === 'RegExpLiteral') return false;
    n = p;
  }
  return false;
}
