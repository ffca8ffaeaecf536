import type { Node } from '../../../../parsing/parser.js';
import { describeSource, type TaintTrace } from '../../../../dataflow/query.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { objectLiteral } from '../../helpers/objects.js';
import type { JsModule } from '../../semantic/model.js';
import { propertyName, unwrap } from '../../semantic/scope.js';

/** MongoDB driver and Mongoose calls whose first argument is a query filter (or a pipeline). */
const FILTER_METHODS = new Set([
  'find',
  'findOne',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndRemove',
  'findOneAndReplace',
  'updateOne',
  'updateMany',
  'update',
  'deleteOne',
  'deleteMany',
  'remove',
  'replaceOne',
  'countDocuments',
  'count',
  'exists',
  'distinct',
  'aggregate',
]);

/** Operators whose operand is JavaScript the server runs. */
const CODE_OPERATORS = new Set(['$where', '$function', '$accumulator']);

/**
 * What a Mongo collection or Mongoose model is called: a class-like name (`User`, `models.User`), a
 * name ending in Model or Collection, or `db.collection('users')` itself.
 */
function isCollection(receiver: Node | undefined, module: JsModule): boolean {
  if (!receiver) return false;
  let r = unwrap(receiver);
  // `const orders = db.collection('orders')`
  const bound = r.type === 'identifier' ? module.singleValue(r) : undefined;
  if (bound && unwrap(bound).type === 'call_expression') r = unwrap(bound);
  if (r.type === 'call_expression') {
    const fn = r.childForFieldName('function');
    return (
      fn?.type === 'member_expression' &&
      /^(collection|model)$/.test(fn.childForFieldName('property')?.text ?? '')
    );
  }
  const last =
    r.type === 'member_expression' ? (propertyName(r.childForFieldName('property')) ?? '') : r.text;
  if (r.type !== 'identifier' && r.type !== 'member_expression') return false;
  return /^[A-Z][a-z]\w*$/.test(last) || /(model|collection|coll)$/i.test(last);
}

/** The module works with MongoDB: it or the project names the driver or Mongoose. */
function usesMongo(text: string, dependencies: Readonly<Record<string, unknown>>): boolean {
  return 'mongoose' in dependencies || 'mongodb' in dependencies || /\b(mongoose|mongodb)\b/.test(text);
}

interface Hit {
  node: Node;
  what: string;
  trace: Extract<TaintTrace, { kind: 'tainted' }>;
  code: boolean;
}

export default defineRule({
  id: 'javascript/nosql-injection',
  title: 'MongoDB query built from request objects',
  cwe: 943,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['find', 'update', 'delete', 'count', 'aggregate', 'exists', 'distinct', 'remove', 'replaceOne'],
  description:
    'A MongoDB driver or Mongoose query (`find`, `findOne`, `updateOne`, `deleteMany`, `countDocuments`, ' +
    '`aggregate`, ...) takes its filter, or a field of it, from the request as parsed: `req.body` (JSON) ' +
    'or `req.query` (Express parses `?email[$ne]=x` into `{ "$ne": "x" }`). The client sends an operator ' +
    'instead of a value: `{ "$ne": null }` matches every user and logs in without the password, `$regex` ' +
    'and `$gt` read other rows. A `$where`, `$function` or `$accumulator` operator given request text ' +
    'runs it as JavaScript in the database. Values turned into text (`String(x)`, a template, a string ' +
    "method), numbers, a `typeof x === 'string'` check and `mongo-sanitize` are not reported; path " +
    'parameters and headers are always text. Projects depending on `express-mongo-sanitize` are not ' +
    "checked (it strips `$`-keys from every request); Mongoose's `sanitizeFilter` is not seen.",
  fix: "Convert each value to the type the query expects (`String(req.body.email)`), or reject values that are not (`typeof x !== 'string'`); never pass `req.body` itself as a filter; never put request text in `$where`.",
  example: {
    bad: 'await User.findOne({ email: req.body.email, password: req.body.password })',
    good: 'await User.findOne({ email: String(req.body.email) })',
  },
  taint: {},
  check({ module, taint, project, report }) {
    // `express-mongo-sanitize` strips `$`-keys from every request of the application.
    if (
      !usesMongo(module.file.text, project.dependencies) ||
      'express-mongo-sanitize' in project.dependencies
    )
      return;
    for (const call of module.calls) {
      const method = call.methodName;
      if (!method || !FILTER_METHODS.has(method) || !isCollection(call.receiver, module)) continue;
      const filter = call.args[0];
      if (!filter || /function|arrow_function/.test(unwrap(filter).type)) continue;
      // Only a client sends objects: the operator's own input and the environment are not reported here.
      const trace: Trace = (n, cwe) => taint.trace(n, { cwe, trust: ['user', 'admin'] });
      const hit = findInFilter(filter, module, trace, 0);
      if (!hit) continue;
      const label = callLabel(call, module);
      const source = hit.trace.sources[0] ? describeSource(hit.trace.sources[0]) : 'the request';
      const message = hit.code
        ? `${label} runs ${hit.what} as JavaScript in the database, built from ${source}: the client runs code there.`
        : `${label} takes ${hit.what} from ${source}, which the client can send as an object: an operator such as ` +
          `\`{ "$ne": null }\` matches every document, or one whose value the client does not know.`;
      report({
        node: call.node,
        message,
        flow: taint.flowTo(hit.trace, hit.node, `reaches ${label} as ${hit.what}`),
        sources: hit.trace.sources,
      });
    }
  },
});

type Trace = (node: Node, cwe: number) => TaintTrace;

/**
 * The first part of a filter a request object reaches: a `$where`-like operator with request text
 * (code), a field's value, or the filter itself. A literal is read field by field so the finding
 * names the field.
 */
function findInFilter(filter: Node, module: JsModule, trace: Trace, depth: number): Hit | undefined {
  const object = depth < 4 ? objectLiteral(filter, module) : undefined;
  if (!object) {
    const t = trace(filter, 943);
    const what = depth === 0 ? `its filter \`${codeOf(filter, 40)}\`` : `\`${codeOf(filter, 40)}\``;
    return t.kind === 'tainted' ? { node: filter, what, trace: t, code: false } : undefined;
  }
  for (const c of object.namedChildren) {
    if (c.type === 'spread_element') {
      const inner = c.namedChildren[0];
      const t = inner && trace(inner, 943);
      if (t?.kind === 'tainted')
        return { node: c, what: `the fields of \`${codeOf(inner, 40)}\``, trace: t, code: false };
      continue;
    }
    if (c.type !== 'pair' && c.type !== 'shorthand_property_identifier') continue;
    const key = c.type === 'pair' ? (propertyName(c.childForFieldName('key')) ?? '') : c.text;
    const value = c.type === 'pair' ? c.childForFieldName('value') : c;
    if (!value) continue;
    if (CODE_OPERATORS.has(key)) {
      const t = trace(value, 95);
      if (t.kind === 'tainted') return { node: value, what: `the \`${key}\` operator`, trace: t, code: true };
      continue;
    }
    const inner = objectLiteral(value, module);
    if (inner) {
      const hit = findInFilter(value, module, trace, depth + 1);
      if (hit) return hit;
      continue;
    }
    const t = trace(value, 943);
    if (t.kind === 'tainted')
      return {
        node: value,
        what: `the value of \`${key}\` in its filter (\`${codeOf(value, 40)}\`)`,
        trace: t,
        code: false,
      };
  }
  // Shorthand fields (`{ email }`) are traced through the filter as a whole.
  if (depth > 0) return undefined;
  const t = trace(filter, 943);
  const what = `its filter \`${codeOf(filter, 40)}\``;
  return t.kind === 'tainted' ? { node: filter, what, trace: t, code: false } : undefined;
}
