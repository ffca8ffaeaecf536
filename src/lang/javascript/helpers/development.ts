import type { Node } from '../../../parsing/parser.js';
import { nameParts } from '../../../rules/names.js';
import type { JsModule } from '../semantic/model.js';
import { definitionName, FUNCTION_TYPES } from '../semantic/scope.js';

/**
 * Code that only a developer's run reaches, as the Python pack's development branches
 * (`inDevelopmentBranch`): the `if` branch of a test of the deployment (`NODE_ENV ===
 * 'development'`, `isDev`, `inDevelopment`, `__DEV__`), a function named for development
 * (`setupDevMiddlewares`), or a function whose every use in the file is such code. A test the
 * request can steer (`req.query.debug`) is no deployment setting.
 */

/** Words of a function's name that say it sets up development (`setupDevMiddlewares`, `devServer`). */
const DEVELOPMENT_WORDS = new Set(['dev', 'devel', 'development']);
/**
 * Words of a setting tested in a condition (`isDev`, `inDevelopment`, `DEBUG`). A function named
 * for debugging is not among the former: a debug endpoint is served in production too.
 */
const DEVELOPMENT_SETTING_WORDS = new Set([...DEVELOPMENT_WORDS, 'debug']);
/** Values of an environment name that mean a developer's machine. */
const DEVELOPMENT_ENV = /^(dev|devel|development|local)$/i;
/** A condition that reads the request: the client decides it. */
const REQUEST_WORDS = /\b(req|request|ctx|headers?|query|body|params|cookies?)\b/;
/** How many levels of named functions are followed to their uses. */
const MAX_DEPTH = 3;

function saysDevelopment(name: string | undefined, words = DEVELOPMENT_WORDS): boolean {
  return name !== undefined && nameParts(name).some((p) => words.has(p));
}

/**
 * Whether a condition holds only in development: it names development (`isDev`,
 * `process.env.NODE_ENV === 'development'`), without a negation (`!isDev`, `!==`), an alternative
 * (`isDev || flag`) or the request.
 */
function developmentCondition(condition: Node, module: JsModule): boolean {
  const text = condition.text;
  if (text.includes('!') || text.includes('||') || text.includes('??') || REQUEST_WORDS.test(text))
    return false;
  if (
    condition
      .descendantsOfType(['string', 'template_string'])
      .some((s) => DEVELOPMENT_ENV.test(module.constantString(s) ?? ''))
  )
    return true;
  return condition
    .descendantsOfType(['identifier', 'property_identifier', 'shorthand_property_identifier'])
    .some((id) => saysDevelopment(id.text, DEVELOPMENT_SETTING_WORDS));
}

/** The name a function is bound to in its file (`const mw = (req, res, next) => ...`, `function mw()`). */
function boundName(fn: Node): Node | undefined {
  const own = fn.childForFieldName('name');
  if (fn.type === 'function_declaration' && own?.type === 'identifier') return own;
  const up = fn.parent;
  if (up?.type === 'variable_declarator' && up.childForFieldName('value')?.equals(fn)) {
    const name = up.childForFieldName('name');
    return name?.type === 'identifier' ? name : undefined;
  }
  return undefined;
}

/** Whether a node runs only in a developer's run (see the module comment). */
export function developmentOnly(node: Node, module: JsModule, depth = 0): boolean {
  for (let n = node; n.parent; n = n.parent) {
    const p: Node = n.parent;
    if (p.type === 'if_statement' && p.childForFieldName('consequence')?.equals(n)) {
      const condition = p.childForFieldName('condition');
      if (condition && developmentCondition(condition, module)) return true;
    }
    if (!FUNCTION_TYPES.has(p.type)) continue;
    if (saysDevelopment(definitionName(p))) return true;
    const name = boundName(p);
    if (name) return depth < MAX_DEPTH && everyUseInDevelopment(name, module, depth + 1);
  }
  return false;
}

/**
 * Whether a function's name is used at least once in its file, and only in development code. An
 * export is a use outside it: another module may install the function anywhere.
 */
function everyUseInDevelopment(name: Node, module: JsModule, depth: number): boolean {
  const declared = module.scopeOf(name).lookup(name.text)?.scope;
  if (!declared) return false;
  for (let up = name.parent, i = 0; up && i < 3; up = up.parent, i++)
    if (up.type === 'export_statement') return false;
  const uses = declared.node
    .descendantsOfType('identifier')
    .filter(
      (id) =>
        id.text === name.text && !id.equals(name) && module.scopeOf(id).lookup(id.text)?.scope === declared,
    );
  return uses.length > 0 && uses.every((use) => developmentOnly(use, module, depth));
}
