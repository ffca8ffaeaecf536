import type { Node } from '../../parsing/parser.js';
import type { StatementSyntax } from '../language.js';

/** Bodies: a suppression comment covers a statement up to the first of them. */
const BODIES = ['statement_block', 'class_body', 'switch_body'];

/**
 * JavaScript and TypeScript statements as a suppression comment covers them (see
 * suppressions/inline.ts): statements and declarations, and the members of a class body.
 */
export const statements: StatementSyntax = {
  isStatement: (n) =>
    n.type.endsWith('_statement') ||
    n.type.endsWith('_declaration') ||
    n.type === 'method_definition' ||
    n.type === 'public_field_definition' ||
    n.type === 'field_definition',
  headerEndRow,
};

/**
 * A statement's header ends where its first body starts (`if (...) {`, `function f() {`, and the
 * callback of `app.get('/', (req, res) => {`), so one comment cannot silence a whole body.
 */
function headerEndRow(n: Node): number {
  const body = n.descendantsOfType(BODIES)[0];
  return body ? body.startPosition.row : n.endPosition.row;
}
