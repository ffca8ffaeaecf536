import { defineRule } from '../../../../rules/rule.js';

/** Unicode bidirectional embedding, override and isolate controls (the Trojan Source characters). */
const BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
const NAMES: Record<string, string> = {
  '\u202A': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202B': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202C': 'POP DIRECTIONAL FORMATTING',
  '\u202D': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202E': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
};

export default defineRule({
  id: 'python/trojan-source',
  title: 'Bidirectional control character in source (Trojan Source)',
  cwe: 451,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  description:
    'The line contains a Unicode bidirectional control character (U+202A-U+202E, U+2066-U+2069) written as a raw ' +
    'character. Editors and review tools reorder the text around it, so the code a reviewer sees differs from the ' +
    'code Python runs: a comment can appear to end early, a string can hide a `return`, a condition can look ' +
    'inverted (CVE-2021-42574).',
  fix: 'Remove the control character; if a string needs one, write it as an escape such as "\\u202e" so that it is visible.',
  example: {
    bad: 'access_level = "user\u202e \u2066# Check if admin\u2069 \u2066"  (raw control characters)',
    good: 'access_level = "user"  # bidirectional text, if needed, written as "\\u202e"',
  },
  check({ file, report }) {
    // One scan of the whole text first: nearly every file has none.
    if (!new RegExp(BIDI.source).test(file.text)) return;
    file.lines.forEach((line, row) => {
      const found = [...line.matchAll(BIDI)];
      if (!found.length) return;
      const column = found[0].index ?? 0;
      const node = file.tree.rootNode.descendantForPosition({ row, column }) ?? file.tree.rootNode;
      const chars = [...new Set(found.map((m) => m[0]))]
        .map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase()} ${NAMES[c]}`)
        .join(', ');
      const where =
        node.type === 'comment' ? 'a comment' : /string/.test(node.type) ? 'a string' : 'the code';
      report({
        node,
        message: `Line ${row + 1} contains ${chars} inside ${where}; the line displays differently from how Python reads it.`,
      });
    });
  },
});
