/**
 * Framework knowledge the Python interpreter still holds itself: how an entry point shows in the
 * text, which parameters hold the client's request, which calls end a request. Data tables and
 * tiny predicates only, so the interpreter names no framework.
 *
 * To be folded into the framework models (lang/python/models): each entry belongs to the model of
 * the framework it names, and then this file goes away.
 */

/**
 * Text that may hold an entry point: a route decorator. A module without it (or a source's name,
 * see entry-points.ts sourceHint) is parsed only when a call or import reaches it.
 */
export const ROUTE_TEXT =
  /@\s*[\w.]+\.(route|get|post|put|patch|delete|head|options|websocket|api_route|view|endpoint)\b/;

/** Parameters of an entry point that hold the client's request (Django, Pyramid, webob). */
export const REQUEST_PARAMS: ReadonlySet<string> = new Set(['request', 'req']);

/**
 * Words that show a function may read a source (before the configured sources are added): the
 * request objects, WSGI's callable, and the standard library's inputs.
 */
export const SOURCE_HINT_WORDS: readonly string[] = [
  'request',
  'req',
  'argv',
  'input\\s*\\(',
  'start_response',
  'getenv',
  'recv',
  'stdin',
];

/**
 * Packages whose source calls need no word of their own in the hint: builtins are named without
 * their package, and Flask's and Bottle's sources are read through `request`, already a word.
 */
export const UNHINTED_SOURCE_PACKAGES: ReadonlySet<string> = new Set(['builtins', 'flask', 'bottle']);

/** A WSGI application: its `environ` parameter is the client's request when it takes `start_response`. */
export const WSGI_ENVIRON_PARAM = 'environ';
export const WSGI_START_RESPONSE_PARAM = 'start_response';

const DJANGO_IMPORT = /\b(from|import)\s+(django|rest_framework)\b/;

/**
 * Whether a module's views take the URL's parameters after the request (`def view(request, id)`):
 * it imports Django or Django REST framework.
 */
export function urlParametersFollowRequest(text: string): boolean {
  return DJANGO_IMPORT.test(text);
}

/** Calls that end the request (the code after them does not run on that path). */
const REQUEST_ENDING_CALLS: ReadonlySet<string> = new Set([
  'flask.abort',
  'werkzeug.exceptions.abort',
  'django.shortcuts.get_object_or_404',
]);
/** Of those, the ones that end it only when the lookup fails (their result is the normal path). */
const ENDS_ONLY_ON_FAILURE: ReadonlySet<string> = new Set(['django.shortcuts.get_object_or_404']);

/** Whether a call (by qualified name) in statement position ends the request on every path. */
export function endsRequest(qualname: string): boolean {
  return REQUEST_ENDING_CALLS.has(qualname) && !ENDS_ONLY_ON_FAILURE.has(qualname);
}

/**
 * Methods of a request object (or its parts) that read the client's data: the source is then
 * named by the call (`request.args.get('host')`) rather than by the object.
 */
export const REQUEST_DATA_METHODS: ReadonlySet<string> = new Set([
  'get',
  'getlist',
  'get_json',
  'get_data',
  'json',
  'form',
  'body',
  'read',
  'decode',
]);
