/**
 * The media type a response goes out with: what a view's return value is sent as (by its
 * framework and response class), and what a response object's constructor and later assignments
 * set. Only an HTML (or sniffed) body runs markup in the browser.
 */
import { stringValue } from '../../helpers/constants.js';
import { decoratorExpression, decoratorsOf } from '../../helpers/functions.js';
import { importsAny } from '../../helpers/module.js';
import type { SinkOf, TaintSinkSpec } from '../../models/concepts.js';
import {
  HANDLER_METHOD_PARAMETERS,
  ROUTE_DECORATOR,
  ROUTE_RETURNS,
  sinksByCallee,
} from '../../models/index.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';

type Body = SinkOf<'http-response-body'>;

/** Media types a browser renders as a document that runs scripts; '' is none, which it sniffs. */
export function rendersMarkup(contentType: string): boolean {
  const t = contentType.split(';')[0].trim().toLowerCase();
  return t === '' || t === 'text/html' || t === 'application/xhtml+xml' || t === 'image/svg+xml';
}

const RESPONSE_CLASSES = sinksByCallee('http-response-body');

function callee(node: Node, module: PythonModule): string | undefined {
  const q = module.qualifiedName(node);
  return q?.endsWith('()') ? q.slice(0, -2) : q;
}

/** The media type a response class sends (a model's `http-response-body` sink), if known. */
function classContentType(node: Node, module: PythonModule): string | undefined {
  const q = callee(node, module);
  return q ? RESPONSE_CLASSES.get(q)?.contentType : undefined;
}

function keyword(call: Node, names: readonly string[]): Node | undefined {
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg?.type !== 'keyword_argument') continue;
    if (names.includes(arg.childForFieldName('name')?.text ?? ''))
      return arg.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

/**
 * The media type a string returned by a route is sent as, or undefined when the function is no
 * route. Its framework is told by the object its decorator belongs to (`router = APIRouter()`),
 * else by the module's imports; a `response_class=` on the decorator or the router decides.
 */
export function returnedTextContentType(def: Node, module: PythonModule): string | undefined {
  const handler = handlerBodyType(def, module);
  if (handler !== undefined) return handler;
  let found: string | undefined;
  for (const d of decoratorsOf(def)) {
    const expr = decoratorExpression(d);
    const fn = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    if (!fn || !ROUTE_DECORATOR.test(fn.text)) continue;
    const receiver = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
    const made = receiver ? module.qualifiedName(receiver) : undefined;
    const constructor = made?.endsWith('()') ? made.slice(0, -2) : undefined;
    const framework =
      ROUTE_RETURNS.find((r) => constructor !== undefined && r.constructors.includes(constructor)) ??
      (constructor === undefined ? ROUTE_RETURNS.find((r) => importsAny(module, r.imports)) : undefined);
    if (!framework) return 'text/html';
    const keywords = framework.responseClassKeywords ?? [];
    const own = expr?.type === 'call' ? keyword(expr, keywords) : undefined;
    const routerCall = receiver?.type === 'identifier' ? module.singleValue(receiver) : undefined;
    const shared = routerCall?.type === 'call' ? keyword(routerCall, keywords) : undefined;
    const responseClass = own ?? shared;
    const type = responseClass ? classContentType(responseClass, module) : undefined;
    found = type ?? (responseClass ? '' : framework.returnedText);
    if (rendersMarkup(found)) return found;
  }
  return found;
}

/**
 * The media type of what a framework's handler method returns as the body (a Twisted resource's
 * `render_GET`), when the method's class names the library base directly.
 */
function handlerBodyType(def: Node, module: PythonModule): string | undefined {
  const name = def.childForFieldName('name')?.text ?? '';
  const cls = def.parent?.parent?.type === 'class_definition' ? def.parent.parent : undefined;
  if (!cls) return undefined;
  const bases = (cls.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((b) => {
    const q = b ? module.qualifiedName(b) : undefined;
    return q ? [q] : [];
  });
  const model = HANDLER_METHOD_PARAMETERS.find(
    (h) => h.returnsBody && h.methods.includes(name) && h.bases.some((b) => bases.includes(b)),
  );
  if (!model?.returnsBody) return undefined;
  const params = (def.childForFieldName('parameters')?.namedChildren ?? []).filter((p) => p !== null);
  const request = model.request !== undefined ? params[model.request + 1] : undefined;
  const requestName =
    request?.type === 'identifier' ? request.text : request?.childForFieldName('name')?.text;
  let type = model.returnsBody.contentType;
  for (const c of def.descendantsOfType('call')) {
    const fn = c?.childForFieldName('function');
    if (!c || fn?.type !== 'attribute' || fn.childForFieldName('object')?.text !== requestName) continue;
    if (!model.returnsBody.headerSetters.includes(fn.childForFieldName('attribute')?.text ?? '')) continue;
    const [key, value] = positional(c);
    if (stringValue(key, module)?.toLowerCase() === 'content-type') type = declared(value, module) ?? '';
  }
  return type;
}

/** A call's positional arguments. */
function positional(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (a): a is Node => !!a && a.type !== 'keyword_argument' && a.type !== 'comment',
  );
}

/** A string's media type: a constant's value, '' for one not known (which may be HTML). */
function declared(node: Node | undefined, module: PythonModule): string | undefined {
  if (!node) return undefined;
  return stringValue(node, module) ?? '';
}

/**
 * The media type a record's field holds (`media_type=result.mimetype`) when the record is an
 * instance of a class this module defines and builds with that field by keyword: every such
 * construction must give the field a constant. The class is told by the field's name, so each
 * class that takes it counts, and one construction without it leaves the type unknown. ''
 * when one constant renders markup; undefined when the field is not such a record's.
 */
function recordFieldType(node: Node | undefined, module: PythonModule): string | undefined {
  const name = node?.type === 'attribute' ? node.childForFieldName('attribute')?.text : undefined;
  if (!name) return undefined;
  const byClass = new Map<number, CallSite[]>();
  for (const c of module.calls) {
    const fn = c.node.childForFieldName('function');
    const cls = fn ? module.singleDefinition(fn) : undefined;
    if (cls?.type !== 'class_definition') continue;
    byClass.set(cls.id, [...(byClass.get(cls.id) ?? []), c]);
  }
  let type: string | undefined;
  for (const calls of byClass.values()) {
    if (!calls.some((c) => keyword(c.node, [name]))) continue;
    for (const c of calls) {
      const v = stringValue(keyword(c.node, [name]), module);
      if (v === undefined) return undefined;
      if (rendersMarkup(v)) return '';
      type ??= v;
    }
  }
  return type;
}

/**
 * Whether a response body sink's call sends a media type that renders no markup: by default, by
 * an argument, or by an assignment to the response object it made later in the same function
 * (`r = make_response(text); r.mimetype = "text/plain"`).
 */
export function sendsNoMarkup(call: CallSite, module: PythonModule, sink: TaintSinkSpec): boolean {
  if (!('contentType' in sink)) return false;
  const body = sink as TaintSinkSpec & Body;
  let type = body.contentType;
  for (const a of body.contentTypeArguments ?? []) {
    const arg = call.argument(a.arg ?? -1, a.keyword);
    const v = recordFieldType(arg, module) ?? declared(arg, module);
    if (v !== undefined) type = v;
  }
  const headers = body.headersArgument
    ? call.argument(body.headersArgument.arg ?? -1, body.headersArgument.keyword)
    : undefined;
  if (headers) {
    // Headers made elsewhere decide the media type where this code does not show it.
    if (headers.type !== 'dictionary') return true;
    for (const pair of headers.namedChildren) {
      const key =
        pair?.type === 'pair' ? stringValue(pair.childForFieldName('key') ?? undefined, module) : undefined;
      if (key?.toLowerCase() === 'content-type')
        type = declared(pair?.childForFieldName('value') ?? undefined, module) ?? type;
    }
  }
  const later = assignedLater(call.node, module, body.contentTypeAttributes ?? []);
  if (later !== undefined) type = later;
  const set = setByReceiver(call, module, body.headerSetters ?? []);
  if (set !== undefined) type = set;
  return !rendersMarkup(type);
}

/**
 * The media type the function that makes a call sets on the call's receiver with a header setter
 * (`request.setHeader(b"content-type", b"application/json")`), wherever in the function: the
 * headers go out before the body's first byte. '' when one sets it to a value not known.
 */
function setByReceiver(call: CallSite, module: PythonModule, setters: readonly string[]): string | undefined {
  const receiver = call.receiver?.text;
  const scope = call.node.closest(['function_definition', 'module']);
  if (!receiver || setters.length === 0 || !scope) return undefined;
  let type: string | undefined;
  for (const c of scope.descendantsOfType('call')) {
    const fn = c?.childForFieldName('function');
    if (!c || fn?.type !== 'attribute') continue;
    if (!setters.includes(fn.childForFieldName('attribute')?.text ?? '')) continue;
    if (fn.childForFieldName('object')?.text !== receiver) continue;
    const [name, value] = positional(c);
    if (stringValue(name, module)?.toLowerCase() !== 'content-type') continue;
    type = declared(value, module) ?? '';
  }
  return type;
}

/** The media type set on the object a call's result is assigned to, after the call. */
function assignedLater(node: Node, module: PythonModule, attributes: readonly string[]): string | undefined {
  const assign = node.parent?.type === 'assignment' ? node.parent : undefined;
  const target = assign?.childForFieldName('left');
  const scope = node.closest(['function_definition', 'module']);
  if (!assign || target?.type !== 'identifier' || !scope) return undefined;
  let type: string | undefined;
  for (const a of scope.descendantsOfType('assignment')) {
    if (!a || a.startIndex < assign.endIndex) continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right') ?? undefined;
    if (!left) continue;
    // r.mimetype = "text/plain"
    if (left.type === 'attribute' && left.childForFieldName('object')?.text === target.text) {
      if (attributes.includes(left.childForFieldName('attribute')?.text ?? ''))
        type = declared(right, module);
    }
    // r["Content-Type"] = ... (Django) or r.headers["Content-Type"] = ...
    if (left.type === 'subscript') {
      const object = left.childForFieldName('value');
      const key = stringValue(left.childForFieldName('subscript') ?? undefined, module);
      const owner = object?.type === 'attribute' ? object.childForFieldName('object') : object;
      if (owner?.text === target.text && key?.toLowerCase() === 'content-type')
        type = declared(right, module);
    }
  }
  return type;
}
