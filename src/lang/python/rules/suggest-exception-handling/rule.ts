import { isLoggingCall } from '../../helpers/calls.js';
import { isConstantTrue } from '../../helpers/constants.js';
import { aggregate, descendants, lineOf } from '../../helpers/suggestions.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';
import { hidingHandlers } from '../../../../rules/suggestions.js';

type Hiding = 'bare' | 'pass' | 'default' | 'log';

const BROAD = new Set(['Exception', 'BaseException', 'builtins.Exception', 'builtins.BaseException']);

const LITERAL_DEFAULTS = new Set([
  'none',
  'true',
  'false',
  'integer',
  'float',
  'string',
  'concatenated_string',
]);

/** The caught type of an `except` clause, or null for a bare `except:`. */
function caughtType(clause: Node): Node | null {
  for (const c of clause.namedChildren) {
    if (!c || c.type === 'block' || c.type === 'comment') continue;
    return c.type === 'as_pattern' ? c.namedChildren[0] : c;
  }
  return null;
}

/** The name bound by `except ... as name`. */
function boundName(clause: Node): string | undefined {
  const as = clause.namedChildren.find((c) => c?.type === 'as_pattern');
  return as?.childForFieldName('alias')?.text;
}

function isBroad(type: Node): boolean {
  const names =
    type.type === 'tuple' || type.type === 'parenthesized_expression' ? type.namedChildren : [type];
  return names.some((n) => n !== null && BROAD.has(n.text.replace(/\s+/g, '')));
}

const isQuiet = (stmt: Node): boolean =>
  stmt.type === 'pass_statement' ||
  stmt.type === 'continue_statement' ||
  stmt.type === 'break_statement' ||
  (stmt.type === 'expression_statement' && stmt.text.trim() === '...');

/** `return`, `return None`, `return []`, `return {}`, `return ""`, `return -1`. */
function returnedDefault(body: Node): Node | undefined {
  for (const r of descendants(body, new Set(['return_statement']), true)) {
    const value = r.namedChildren.find((c) => c?.type !== 'comment');
    if (!value) return r;
    if (LITERAL_DEFAULTS.has(value.type) && !value.text.startsWith('f')) return r;
    if (['list', 'dictionary', 'tuple', 'set'].includes(value.type) && value.namedChildCount === 0) return r;
    if (value.type === 'unary_operator' && /^-\s*\d+$/.test(value.text)) return r;
  }
  return undefined;
}

const DESCRIBE: Record<Hiding, string> = {
  bare: 'bare `except:`',
  pass: 'that passes',
  default: 'that returns a default',
  log: 'that logs without the exception',
};

const FIX =
  'Catch the specific exceptions you expect; log with `logger.exception()` or `exc_info=True` so the ' +
  'traceback is kept, and re-raise or return a result the caller can tell from success.';

export default defineRule({
  id: 'python/suggest-exception-handling',
  title: 'Exception handling that hides errors',
  cwe: 390,
  severity: 'low',
  confidence: 'high',
  kind: 'suggestion',
  languages: ['python'],
  requires: ['except'],
  description:
    'A bare `except:` or an `except Exception:` that passes, returns a default value or logs a message ' +
    'without the exception turns every failure, including programming errors, into silent wrong ' +
    'results; the cause is lost when someone later has to find out what went wrong.',
  fix: FIX,
  example: {
    bad: 'except Exception:\n        return None',
    good: 'except (OSError, ValueError):\n        logger.exception("cannot read %s", path)\n        raise',
  },
  check({ module, report }) {
    const sites: { node: Node; kind: Hiding; type: string }[] = [];
    const logCalls = module.calls.filter((c) => isLoggingCall(c));
    for (const clause of descendants(module.file.tree.rootNode, new Set(['except_clause']))) {
      const body = clause.namedChildren.find((c) => c?.type === 'block');
      if (!body) continue;
      const statements = body.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
      if (descendants(body, new Set(['raise_statement']), true).length) continue;
      const type = caughtType(clause);
      if (!type) {
        sites.push({ node: clause, kind: 'bare', type: 'except:' });
        continue;
      }
      if (!isBroad(type)) continue;
      const typeText = `\`except ${type.text.replace(/\s+/g, ' ')}:\``;
      if (statements.every(isQuiet)) {
        sites.push({ node: clause, kind: 'pass', type: typeText });
        continue;
      }
      const name = boundName(clause);
      const logs = logCalls.filter(
        (c) => c.node.startIndex >= body.startIndex && c.node.endIndex <= body.endIndex,
      );
      const keepsException = logs.some(
        (c) =>
          c.methodName === 'exception' ||
          isConstantTrue(c.kwargs.get('exc_info'), module) ||
          (name !== undefined && descendants(c.node, new Set(['identifier'])).some((id) => id.text === name)),
      );
      if (keepsException) continue;
      if (logs.length) sites.push({ node: clause, kind: 'log', type: typeText });
      else if (returnedDefault(body)) sites.push({ node: clause, kind: 'default', type: typeText });
    }
    const found = aggregate(sites);
    if (!found) return;
    const kinds = [...new Set(found.sites.map((s) => s.kind))];
    let previousType = '';
    const parts = kinds.map((k) => {
      const of = found.sites.filter((s) => s.kind === k);
      const lines = [...new Set(of.map((s) => lineOf(s.node)))];
      const where = kinds.length > 1 ? ` (${lines.length > 1 ? 'lines' : 'line'} ${lines.join(', ')})` : '';
      // "`except Exception:` that passes (line 20), that returns a default (line 28)"
      const type = k === 'bare' || of[0].type === previousType ? '' : `${of[0].type} `;
      previousType = k === 'bare' ? '' : of[0].type;
      return `${type}${DESCRIBE[k]}${where}`;
    });
    const n = found.sites.length;
    report({
      node: found.node,
      lines: found.lines,
      message: `${hidingHandlers(n)}: ${parts.join(', ')}.`,
      ...(kinds.includes('bare')
        ? { fix: `${FIX} A bare \`except:\` also catches KeyboardInterrupt and SystemExit.` }
        : {}),
    });
  },
});
