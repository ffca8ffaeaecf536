import type { Node } from '../../parsing/parser.js';
import { docstringOf } from './helpers/suggestions.js';

/**
 * Code that says it must not run in production: a class or function whose docstring, or a
 * `warnings.warn(...)` in its body (a class: in its `__init__`), declares it development- or
 * testing-only, or insecure and not for production (a null backend that skips verification, a
 * debug helper). A defect in it is what it announces; the engine reports it low and quotes why
 * (engine/analyze.ts). The declaration must be in the code: a name such as `Dummy` alone is not one.
 */
const DECLARATION =
  /\b(?:(?:development|testing|debug(?:ging)?|dev|local)[- ]only\b|only (?:be )?(?:used |meant |intended )?(?:for|in) (?:local )?(?:development|testing|tests|debugging)\b|(?:not|never) (?:be )?(?:use[ds]?|run|deploy(?:ed)?) (?:it |this )?(?:in|for) (?:a )?production\b|intended only for (?:use in )?(?:development|testing)\b)/i;

/** The text of the `warnings.warn(...)` calls directly in a body (not in nested definitions). */
function warnings(body: Node | null): string[] {
  const out: string[] = [];
  const visit = (n: Node): void => {
    for (const c of n.namedChildren) {
      if (!c || c.type === 'function_definition' || c.type === 'class_definition') continue;
      if (c.type === 'call' && /^(warnings\.)?warn$/.test(c.childForFieldName('function')?.text ?? ''))
        out.push(c.childForFieldName('arguments')?.text ?? '');
      visit(c);
    }
  };
  if (body) visit(body);
  return out;
}

/** What a definition declares about itself (its docstring and warnings), as one text. */
function declaredBy(def: Node): string {
  const body = def.childForFieldName('body');
  const texts = [docstringOf(body)?.text ?? '', ...warnings(body)];
  if (def.type === 'class_definition')
    for (const m of body?.namedChildren ?? []) {
      const fn = m?.type === 'decorated_definition' ? m.childForFieldName('definition') : m;
      if (fn?.type === 'function_definition' && fn.childForFieldName('name')?.text === '__init__')
        texts.push(...warnings(fn.childForFieldName('body')));
    }
  return texts.join('\n').replace(/["'\s]+\s*["']?/g, ' ');
}

/**
 * The name of the innermost enclosing class or function that declares itself not for production,
 * with the kind of definition, or undefined.
 */
export function notForProduction(node: Node): string | undefined {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type !== 'function_definition' && n.type !== 'class_definition') continue;
    if (DECLARATION.test(declaredBy(n))) {
      const kind = n.type === 'class_definition' ? 'class' : 'function';
      return `${kind} \`${n.childForFieldName('name')?.text ?? '?'}\``;
    }
  }
  return undefined;
}
