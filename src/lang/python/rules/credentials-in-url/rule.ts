import { isTestFile } from '../../test-files.js';
import { looksLikePlaceholder } from '../../helpers/security.js';
import { secretShape } from '../../../../rules/secret-values.js';
import { isDocumentationText, writtenText } from '../../helpers/strings.js';
import { defineRule } from '../../../../rules/rule.js';
import type { Node } from '../../../../parsing/parser.js';

/** A password that is the word for one. */
const PASSWORD_WORD = /^(pass(wd|word)?|pwd)$/i;

/** scheme://user:password@host: the password must be written out (no interpolation, no placeholder). */
const URL_WITH_PASSWORD = /\b([a-z][a-z0-9+.-]*):\/\/([\w.%+~-]*):([^\s@/[\]\0]+)@([^\s/:?#\0\]]+)/i;
const LOCAL_HOST =
  /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|[\w.-]*example\.(com|org|net)|db|postgres|mysql|redis|host)$/i;

/** Log methods and the receivers that hold a logger (`_logger.warning`, `warnings.warn`). */
const MESSAGE_METHODS = /^(debug|info|warning|warn|error|exception|critical)$/;
const MESSAGE_RECEIVERS = /(^|\.)_*(logger|log|logging|warnings)$/i;

/**
 * Whether a string is a message for people: the text of a log call or warning, or of an error
 * raised. A URL in one shows the form a setting takes (`models://scope:prefix@host`), unless its
 * password is shaped like a real one.
 */
function isMessageText(node: Node): boolean {
  const args = node.parent;
  const call = args?.type === 'argument_list' ? args.parent : null;
  if (call?.type !== 'call') return false;
  if (call.parent?.type === 'raise_statement') return true;
  const fn = call.childForFieldName('function');
  return (
    fn?.type === 'attribute' &&
    MESSAGE_METHODS.test(fn.childForFieldName('attribute')?.text ?? '') &&
    MESSAGE_RECEIVERS.test(fn.childForFieldName('object')?.text ?? '')
  );
}

export default defineRule({
  id: 'python/credentials-in-url',
  title: 'Password written into a connection string or URL',
  cwe: 798,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['://'],
  description:
    'A string literal holds a URL or connection string with a user name and password (`postgresql://app:s3cret@db/prod`, ' +
    '`redis://:pass@cache:6379`, `https://user:pass@host/`). The credential is then in the source, its history and ' +
    'every copy of them, and rotating it needs a code change.',
  fix: 'Build the URL from configuration at run time (an environment variable holding the whole URL, or the password from a secrets manager) and rotate the committed password.',
  example: {
    bad: "engine = create_engine('postgresql://app:s3cret@db.internal/prod')",
    good: "engine = create_engine(os.environ['DATABASE_URL'])",
  },
  check({ file, report }) {
    if (isTestFile(file.path)) return;
    for (const node of file.tree.rootNode.descendantsOfType(['string', 'concatenated_string'])) {
      if (!node || node.parent?.type === 'concatenated_string') continue;
      // A string statement is a docstring or a comment-like literal, not a value the program uses.
      if (node.parent?.type === 'expression_statement' || isDocumentationText(node)) continue;
      // Interpolations are NUL, which the pattern never takes for part of a password.
      const m = URL_WITH_PASSWORD.exec(writtenText(node));
      if (!m) continue;
      const [, scheme, user, password, host] = m;
      // `user:password@`: the word itself stands in for a password, as in examples.
      if (looksLikePlaceholder(password) || /^[$%{<[*]/.test(password) || PASSWORD_WORD.test(password))
        continue;
      // postgres:postgres@localhost: a stock account on the developer's own machine, not a secret.
      if (password === user) continue;
      const shape = secretShape(password, true);
      if (!shape && (LOCAL_HOST.test(host) || isMessageText(node))) continue;
      const local = LOCAL_HOST.test(host);
      report({
        node,
        confidence: local ? 'low' : 'medium',
        confidenceReason: shape
          ? `the URL holds a password that looks like a secret: ${shape.reason}`
          : 'the URL holds a literal password for a remote host',
        message: `The ${scheme} URL for \`${host}\` embeds the password of ${user ? `user \`${user}\`` : 'the service'} in a string literal; anyone with the source can use it.`,
      });
    }
  },
});
