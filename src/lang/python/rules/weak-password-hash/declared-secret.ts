import { enclosingClassOf } from '../../helpers/functions.js';
import { attributeAssignments, classAssignments } from '../../helpers/module.js';
import { isOwnAttribute } from '../../helpers/variables.js';
import { namesRead, secretKindOfName, type SecretKind } from '../../helpers/names.js';
import type { Node } from '../../../../parsing/parser.js';
import type { PythonModule } from '../../semantic/scope.js';

/**
 * What an attribute of a class of this module holds, as its declarations say, when its name says
 * otherwise: a settings object's `password` field whose default is the application's secret key
 * (`password: bytes = get_setting("server.secret_key").encode()`) holds a random operator key, not
 * a user's password. Only a read whose object is known to be an instance of that class counts, and
 * only when every value this module gives the attribute names the same kind of secret.
 */

/** The class of this module named `name`, when exactly one class has that name. */
function moduleClass(name: string, module: PythonModule): Node | undefined {
  const found = module.file.tree.rootNode
    .descendantsOfType('class_definition')
    .filter((c): c is Node => c !== null && c.childForFieldName('name')?.text === name);
  return found.length === 1 ? found[0] : undefined;
}

/** The class an annotation names: `Config`, `"Config"`, not `Config | None` or `list[Config]`. */
function annotatedClass(type: string | undefined, module: PythonModule): Node | undefined {
  const name = type?.replace(/^(['"])(.*)\1$/, '$2');
  return name && /^\w+$/.test(name) ? moduleClass(name, module) : undefined;
}

/**
 * The class of this module an expression is an instance of: `self` in its methods, a parameter
 * annotated with it, an attribute every annotation of which in this module names it
 * (`self.cfg: Config = cfg`, a class body's `cfg: Config`), or the class itself.
 */
function classOf(object: Node, module: PythonModule): Node | undefined {
  if (object.type === 'identifier') {
    if (object.text === 'self' || object.text === 'cls') return enclosingClassOf(object);
    const def = module.singleDefinition(object);
    if (def) return def.type === 'class_definition' ? def : undefined;
    const bindings = module.scopeOf(object).lookup(object.text)?.bindings ?? [];
    const param = bindings.length === 1 && bindings[0].kind === 'param' ? bindings[0].node : undefined;
    return annotatedClass(param?.childForFieldName('type')?.text, module);
  }
  const attribute = object.type === 'attribute' ? object.childForFieldName('attribute')?.text : undefined;
  if (!attribute) return undefined;
  // `self.cfg` is annotated in its own class; another object's attribute anywhere in the module.
  const within = (isOwnAttribute(object) ? enclosingClassOf(object) : undefined) ?? module.file.tree.rootNode;
  const annotations = within.descendantsOfType('assignment').flatMap((a) => {
    const left = a?.childForFieldName('left');
    const type = a?.childForFieldName('type');
    const named =
      left?.type === 'identifier'
        ? a?.parent?.parent?.parent?.type === 'class_definition' && left.text === attribute
        : left?.type === 'attribute' && left.childForFieldName('attribute')?.text === attribute;
    return named && type ? [type.text] : [];
  });
  const types = new Set(annotations);
  return types.size === 1 ? annotatedClass(annotations[0], module) : undefined;
}

/** The kind of secret and the word that names it, as the names and strings of a value say. */
function secretOfValue(value: Node): { kind: SecretKind; name: string } | undefined {
  const words = [...namesRead(value), ...value.descendantsOfType('string_content').map((s) => s?.text ?? '')];
  let found: { kind: SecretKind; name: string } | undefined;
  for (const w of words) {
    const kind = secretKindOfName(w);
    if (kind === 'password') return undefined;
    if (kind === 'key' || (kind && !found)) found = { kind, name: w };
  }
  return found;
}

/**
 * The secret an attribute read holds by its class's declarations, when they name a key or token
 * and the module gives the attribute no other value (in the class's methods or as a keyword of a
 * call of the class); undefined when anything else may reach it.
 */
export function declaredSecret(
  read: Node,
  module: PythonModule,
): { kind: SecretKind; name: string } | undefined {
  const name = read.type === 'attribute' ? read.childForFieldName('attribute')?.text : undefined;
  const object = read.childForFieldName('object');
  const cls = object && name ? classOf(object, module) : undefined;
  const className = cls?.childForFieldName('name')?.text;
  if (!cls || !name || !className) return undefined;
  const declared = classAssignments(cls).filter((a) => a.name === name && !a.augmented);
  if (declared.length === 0) return undefined;
  const values = declared.map((a) => a.value);
  for (const a of attributeAssignments(module, name)) {
    if (a.object.text === 'self' && enclosingClassOf(a.node)?.id === cls.id) values.push(a.value);
  }
  for (const call of module.calls) {
    if (call.node.childForFieldName('function')?.text !== className) continue;
    // A positional argument, or a splat, may set any field.
    if (call.args.length > 0 || call.hasSplat) return undefined;
    const given = call.kwargs.get(name);
    if (given) values.push(given);
  }
  const secrets = values.map(secretOfValue);
  if (secrets.some((s) => !s)) return undefined;
  return secrets.find((s) => s?.kind === 'key') ?? secrets[0];
}
