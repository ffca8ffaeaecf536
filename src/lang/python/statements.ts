import type { Node } from '../../parsing/parser.js';
import type { StatementSyntax } from '../language.js';

/** Python statements as a suppression comment covers them (see suppressions/inline.ts). */
export const statements: StatementSyntax = {
  isStatement: (n) =>
    n.type.endsWith('_statement') ||
    n.type === 'function_definition' ||
    n.type === 'class_definition' ||
    n.type === 'decorated_definition',
  headerEndRow,
};

/** A compound statement's header ends before its block, so one comment cannot silence a whole body. */
function headerEndRow(n: Node): number {
  const def = n.type === 'decorated_definition' ? n.childForFieldName('definition') : null;
  const target = def ?? n;
  const block = target.children.find((c) => c?.type === 'block');
  if (!block) return n.endPosition.row;
  let end = target.startPosition.row;
  for (const c of target.children) {
    if (!c || c.id === block.id) break;
    end = Math.max(end, c.endPosition.row);
  }
  return end;
}
