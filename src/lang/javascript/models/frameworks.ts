/**
 * Entry points of Node web frameworks as data: a handler is a function passed to a routing method
 * of an application or router object, named by the canonical name of that object as the semantic
 * model resolves it (`const app = express()` is `express()`), or to a server constructor. The
 * parameter at `requestParam` is the framework's request object (see requests.ts).
 */
import type { Node } from '../../../parsing/parser.js';
import {
  CANDIDATE_REQUEST,
  EXPRESS_REQUEST,
  FASTIFY_REQUEST,
  FETCH_REQUEST,
  HAPI_REQUEST,
  KOA_CONTEXT,
  MESSAGE_EVENT,
  NEXT_API_REQUEST,
  NODE_REQUEST,
  ROUTE_CONTEXT,
  SOCKET_IO_SOCKET,
  type RequestObject,
} from './requests.js';

export interface RouteModel {
  readonly framework: string;
  /** Canonical names of the receiver of the routing call (`express()`, `express.Router()`). */
  readonly receivers: RegExp;
  /** Routing methods whose function arguments are handlers. */
  readonly methods: ReadonlySet<string>;
  readonly requestParam: number;
  readonly request: RequestObject;
  /**
   * Routing methods that mount a handler under a path prefix and hand it the path after the
   * prefix (Express's `use`): that rest may begin with `//` whatever the prefix is.
   */
  readonly mounts?: ReadonlySet<string>;
  /**
   * For an event emitter's `on`: the events (the first argument, a constant) whose listeners are
   * handlers; other events' listeners are not.
   */
  readonly events?: ReadonlySet<string>;
}

/** A call whose function arguments are handlers, named by its canonical callee. */
export interface ServerModel {
  readonly callees: ReadonlySet<string>;
  readonly requestParam: number;
  readonly request: RequestObject;
}

const VERBS = ['get', 'post', 'put', 'delete', 'patch', 'all', 'use', 'options', 'head'];

export const ROUTES: readonly RouteModel[] = [
  {
    framework: 'Express',
    // `app.route('/x').get(h)` routes through the route object.
    receivers: /^express(\.Router)?\(\)(\.route\(\))?$/,
    methods: new Set(VERBS),
    requestParam: 0,
    request: EXPRESS_REQUEST,
    mounts: new Set(['use']),
  },
  {
    framework: 'Koa',
    receivers: /^(koa|koa-router|@koa\/router)\(\)$/,
    methods: new Set(VERBS),
    requestParam: 0,
    request: KOA_CONTEXT,
  },
  {
    framework: 'Fastify',
    receivers: /^fastify(\.default)?\(\)$/,
    methods: new Set([...VERBS, 'route']),
    requestParam: 0,
    request: FASTIFY_REQUEST,
  },
  {
    // A socket.io server (`new Server(http)`, the module itself called with the server) or one of its
    // namespaces (`io.of('/chat')`): its `connection` listener receives each client's socket.
    framework: 'socket.io',
    receivers: /^socket\.io(\.Server)?\(\)(\.of\(\))?$/,
    methods: new Set(['on']),
    requestParam: 0,
    request: SOCKET_IO_SOCKET,
    events: new Set(['connection', 'connect']),
  },
];

export const SERVERS: readonly ServerModel[] = [
  { callees: new Set(['http.createServer', 'https.createServer']), requestParam: 0, request: NODE_REQUEST },
];

/**
 * What a framework hands one parameter of a handler: a request object, input (text the client
 * chose, named `label` in findings), or a value that is no text (a number a pipe parsed).
 */
export type ParamSeed =
  | RequestObject
  | {
      readonly input: string;
      /**
       * The parameter's declared class (`@Body() dto: CreateDto`), whose class-validator
       * decorators say which fields hold no free text when a validation pipe runs on it:
       * `validated` when the handler's own decorators apply one; otherwise only a pipe the
       * project applies to every handler counts (see validation.ts).
       */
      readonly dto?: { readonly type: Node; readonly validated: boolean };
    }
  | 'clean';

/**
 * NestJS: methods of a class decorated `@Controller()` that carry a route decorator are handlers;
 * each parameter gets what its decorator injects. Decorators are named by their canonical names.
 */
export const NEST = {
  controller: /^@nestjs\/common\.Controller$/,
  route: /^@nestjs\/common\.(Get|Post|Put|Delete|Patch|Options|Head|All|Search)$/,
  /** Parameter decorators: the request object, or input (`@Body()`, `@Body('name')` one field). */
  params: {
    Body: 'input',
    Query: 'input',
    Param: 'input',
    Headers: 'input',
    Req: EXPRESS_REQUEST,
    Request: EXPRESS_REQUEST,
  } as Readonly<Record<string, 'input' | RequestObject>>,
  decorators: /^@nestjs\/common\.(\w+)$/,
  /** Pipes whose result is a number, a boolean, a UUID or a member of an enum: no free text. */
  parsingPipes: /^@nestjs\/common\.Parse(Int|Float|Bool|UUID|Enum)Pipe$/,
};

/**
 * Next.js: route handlers of the app router (`app/**\/route.ts` exporting `GET`, `POST`, ...: the
 * Fetch request, then `{ params }`), API routes of the pages router (the default export of a file
 * under `pages/api/`: Node's request with the parsed query and body), and server actions (the
 * functions of a file, or the function, whose body begins with the `'use server'` directive: every
 * parameter comes from the client); the middleware before them all.
 */
export const NEXT = {
  appRoute: /(^|\/)app\/(.+\/)?route\.[cm]?[jt]sx?$/,
  /** A catch-all segment: the request's own path may be anything. */
  catchAll: /\[\[?\.\.\./,
  verbs: /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/,
  routeParams: [FETCH_REQUEST, ROUTE_CONTEXT] as readonly RequestObject[],
  apiRoute: /(^|\/)pages\/api\/.+\.[cm]?[jt]sx?$/,
  apiRequest: NEXT_API_REQUEST,
  /**
   * The middleware (`middleware.ts` exporting `middleware` or a default function, in a module
   * that imports Next's server API): every path reaches it, so its request's path may be anything.
   */
  middleware: /(^|\/)middleware\.[cm]?[jt]s$/,
  middlewareExports: /^(middleware|default)$/,
  server: /['"]next\/server['"]/,
  serverAction: 'use server',
};

/**
 * Hapi: a route is an object literal with `method`, `path` and a `handler` (in it, or in its
 * `options` or `config`), given to `server.route` alone or in an array, or kept in a list a
 * plugin registers. Such an object is taken for a Hapi route in a module that names Hapi or when
 * its handler takes Hapi's `(request, h)`.
 */
export const HAPI = {
  request: HAPI_REQUEST,
  named: /\bhapi\b/i,
  toolkit: 'h',
  handlerHolders: ['options', 'config'],
};

/**
 * Route handlers known by their shape alone, as CodeQL's route handler and route setup candidates
 * find them: the routers and endpoint lists a project writes itself (a class with a `route` method
 * that wraps Express, a list of endpoint objects a framework mounts). A route setup is a call
 * `x.route(VERB, PATH, ...handlers)` or `x.verb(PATH, ...handlers)` on any object no framework model
 * knows, an object literal `{ method: VERB, path: PATH, handler }`, or a module `route.ts` that
 * exports functions named by verbs (file-based routers other than Next.js's); VERB is an HTTP method
 * written as a constant and PATH a constant beginning with `/`. A handler is a function whose
 * parameters are named as a request handler's are (`req` or `request`, then `res` or `response`,
 * then `next`): a callback of another kind (`(err, value)`, Hapi's older `(request, reply)`) is not.
 * The guess is less sure than a framework's model; the request says so (`RequestObject.likely`).
 */
export const ROUTE_CANDIDATES = {
  verbs: /^(get|post|put|patch|delete|head|options|all)$/i,
  /** Methods that take the verb first: `this.route('GET', '/classes', handler)`. */
  routeMethods: new Set(['route', 'addRoute']),
  path: /^\//,
  /** Parameter names of a handler, by position; a handler takes at least the request. */
  params: [/^(req|request)$/, /^(res|response)$/, /^next$/],
  request: CANDIDATE_REQUEST,
  /** A module of a file-based router (`api/admin/users/route.ts`): its exports named by verbs are handlers. */
  fileRoute: /(^|\/)route\.[cm]?[jt]s$/,
  /** The keys of an endpoint object. */
  object: { method: 'method', path: 'path', handler: 'handler' },
};

/**
 * What a page's address and window hold, chosen by whoever made the link the user followed
 * (`location.hash`), by canonical name; `window.` and `document.` before `location` are the same
 * object.
 */
export const BROWSER_SOURCES: ReadonlySet<string> = new Set([
  'location.hash',
  'location.search',
  'location.href',
  'location',
  'document.URL',
  'document.documentURI',
  'document.referrer',
  'window.name',
]);

/**
 * Of them, the page's own whole URLs and the referring page's: an http(s) URL, never `javascript:`,
 * so no URL target on their own (CWE-601 is what URL sinks of the browser ask).
 */
export const BROWSER_WHOLE_URLS: ReadonlySet<string> = new Set([
  'location.href',
  'document.URL',
  'document.documentURI',
  'document.referrer',
]);

/**
 * Of them, the parts of a URL the browser hands over percent-encoded: its path, query and fragment
 * never hold a raw `<`, `>` or `"` (the URL standard's percent-encode sets), so they cannot carry
 * markup into a page until something decodes them (`decodeURIComponent`, `URLSearchParams`).
 * `window.name` is any text.
 */
export const BROWSER_PERCENT_ENCODED: ReadonlySet<string> = new Set([
  'location.hash',
  'location.search',
  'location.href',
  'document.URL',
  'document.documentURI',
  'document.referrer',
]);

/** The canonical name of a browser source a member read names, if it is one. */
export function browserSource(name: string): string | undefined {
  const n = name.replace(/^(window\.)?(document\.)?(?=location\b)/, '');
  return BROWSER_SOURCES.has(n) && n !== 'location' ? n : undefined;
}

/**
 * A window's `message` listener (`window.addEventListener('message', fn)`, `window.onmessage = fn`)
 * that never reads the event's `origin`: any site that opens or frames the page posts its event.
 */
export const MESSAGE_LISTENER = {
  receiver: /^(window|globalThis)$/,
  event: 'message',
  request: MESSAGE_EVENT,
  originCheck: /\borigin\b/,
};

/** A function that reads one of them runs as an entry point (browser code has no handlers). */
export const BROWSER_INPUT =
  /\b(location\.(hash|search|href)|document\.(URL|documentURI|referrer)|window\.name)\b/;

/** Runtime values that are input of whoever runs the program, by canonical name. */
export const PROCESS_SOURCES: Readonly<Record<string, 'operator' | 'environment'>> = {
  'process.argv': 'operator',
  'process.env': 'environment',
};
