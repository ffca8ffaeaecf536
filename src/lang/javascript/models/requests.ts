/**
 * Request objects of Node web frameworks as data: which fields and methods of the object a handler
 * receives carry the client's input. A field may name a nested object (Koa's `ctx.request`); a
 * method's result is input (`req.get('host')`).
 */

/**
 * One member of a request object: input read as a field, input a method returns, a nested object,
 * or the request's own path (`path`: the path or URL the router matched, see `RequestObject.routed`),
 * or a method that registers listeners of the client's messages (`listener`: see `LISTENERS`).
 */
export type RequestMember = 'field' | 'method' | 'path' | 'listener' | RequestObject;

export interface RequestObject {
  /** How findings name the object (`req`, `ctx`). */
  readonly name: string;
  readonly members: Readonly<Record<string, RequestMember>>;
  /**
   * The handler's route begins with a fixed segment (`/share/:id`), so the request's own path
   * cannot begin with `//`: redirecting to it stays on the site (not an open-redirect source). A
   * handler every path reaches (middleware, a catch-all route, Node's server) leaves it unset.
   */
  readonly routed?: boolean;
  /**
   * Members whose values are always text (path parameters, headers, a flat query string): the
   * client cannot make them an object, so they are safe where only an object hurts (see
   * `TEXT_SAFE_CWES`).
   */
  readonly text?: readonly string[];
  /**
   * Said after each input's label when the handler is known by its shape only (see
   * `ROUTE_CANDIDATES`): a finding from it is as sure as that guess.
   */
  readonly likely?: string;
  /**
   * Connect-style middleware (`function (req, res, next)`) runs before the handler on this same
   * object: a field it sets that the model does not name (`req.config = Config.get(id)`,
   * `req.db = pool`) is, in the handler, what the middleware assigned (see interpreter.ts
   * `attachedField`).
   */
  readonly middleware?: boolean;
}

/** Express's `req` (also what Node's own `http` server hands a handler, with fewer members). */
export const EXPRESS_REQUEST: RequestObject = {
  name: 'req',
  members: {
    query: 'field',
    body: 'field',
    params: 'field',
    headers: 'field',
    cookies: 'field',
    signedCookies: 'field',
    url: 'path',
    originalUrl: 'path',
    path: 'path',
    hostname: 'field',
    ip: 'field',
    get: 'method',
    header: 'method',
    param: 'method',
  },
  // `req.query` is not among them: Express's default (extended) query parser builds nested objects
  // from `a[b]=c`; `req.body` is parsed JSON; cookie-parser turns `j:` cookies into objects.
  text: ['params', 'headers', 'url', 'originalUrl', 'path', 'hostname', 'ip', 'get', 'header'],
  middleware: true,
};

/**
 * The request of a handler known by its shape only (a project's own router, see
 * `ROUTE_CANDIDATES`): what Express-like and Fetch-like requests share. The client's input is the
 * body (or `data`, the parsed body some routers hand on), the query, the path parameters, the
 * headers and the cookies; fields the router or its middleware set (`auth`, `user`, `config`) are
 * not input.
 */
export const CANDIDATE_REQUEST: RequestObject = {
  name: 'req',
  members: {
    query: 'field',
    body: 'field',
    data: 'field',
    params: 'field',
    routeParams: 'field',
    searchParams: 'field',
    headers: 'field',
    cookies: 'field',
    url: 'path',
    originalUrl: 'path',
    path: 'path',
    get: 'method',
    header: 'method',
    json: 'method',
    formData: 'method',
    text: 'method',
  },
  text: ['params', 'routeParams', 'headers', 'url', 'originalUrl', 'path', 'get', 'header', 'text'],
  likely: 'of a handler known only by the shape of its route',
  middleware: true,
};

/** Node's `http.IncomingMessage`: the URL and headers are the client's. */
export const NODE_REQUEST: RequestObject = {
  name: 'req',
  members: { url: 'field', headers: 'field' },
  text: ['url', 'headers'],
};

const KOA_REQUEST: RequestObject = {
  name: 'ctx.request',
  members: {
    query: 'field',
    body: 'field',
    headers: 'field',
    url: 'path',
    path: 'path',
    querystring: 'field',
  },
  text: ['headers', 'url', 'path', 'querystring'],
};

/** Koa's context: its own shortcuts and the request it wraps. */
export const KOA_CONTEXT: RequestObject = {
  name: 'ctx',
  members: {
    query: 'field',
    params: 'field',
    headers: 'field',
    url: 'path',
    path: 'path',
    querystring: 'field',
    get: 'method',
    request: KOA_REQUEST,
  },
  // Koa parses the query string flat (`querystring`): values are text or lists of text.
  text: ['query', 'params', 'headers', 'url', 'path', 'querystring', 'get'],
};

/** Fastify's `request`. */
export const FASTIFY_REQUEST: RequestObject = {
  name: 'request',
  members: { query: 'field', body: 'field', params: 'field', headers: 'field', url: 'path' },
  // Fastify's default query parser is flat too.
  text: ['query', 'params', 'headers', 'url'],
};

/** The URL of a Fetch request as Next.js parses it (`request.nextUrl`). */
const NEXT_URL: RequestObject = {
  name: 'request.nextUrl',
  members: {
    searchParams: 'field',
    search: 'field',
    query: 'field',
    hash: 'field',
    pathname: 'path',
    href: 'path',
  },
};

/**
 * The Fetch API's `Request` a route handler of Next.js's app router receives (`NextRequest` adds
 * `nextUrl` and `cookies`): its body is read by the methods (`await request.json()`).
 */
export const FETCH_REQUEST: RequestObject = {
  name: 'request',
  members: {
    nextUrl: NEXT_URL,
    // The whole URL: its query is the client's (`new URL(request.url).searchParams`).
    url: 'field',
    headers: 'field',
    cookies: 'field',
    body: 'field',
    json: 'method',
    formData: 'method',
    text: 'method',
  },
};

/** The second argument of an app-router route handler: the dynamic segments of its path. */
export const ROUTE_CONTEXT: RequestObject = { name: 'context', members: { params: 'field' } };

/** The Node request a pages-router API route of Next.js receives, with the parsed query and body. */
export const NEXT_API_REQUEST: RequestObject = {
  name: 'req',
  members: {
    query: 'field',
    body: 'field',
    cookies: 'field',
    headers: 'field',
    url: 'path',
  },
};

/** Hapi's `request`: `payload` is the parsed body, `state` the cookies. */
export const HAPI_REQUEST: RequestObject = {
  name: 'request',
  members: {
    query: 'field',
    payload: 'field',
    params: 'field',
    headers: 'field',
    state: 'field',
    url: 'path',
    path: 'path',
  },
};

/** The event of a window's `message` listener: any page that holds the window may post `data`. */
export const MESSAGE_EVENT: RequestObject = { name: 'event', members: { data: 'field' } };

/** The handshake of a socket.io connection: the query, headers and auth payload the client sent. */
const SOCKET_HANDSHAKE: RequestObject = {
  name: 'socket.handshake',
  members: { query: 'field', headers: 'field', auth: 'field', url: 'field' },
  text: ['headers', 'url'],
};

/**
 * A socket.io server's socket (what its `connection` event hands its listener): the handshake, the
 * HTTP request it began with, and `on` / `onAny`, whose listeners receive what the client emits.
 */
export const SOCKET_IO_SOCKET: RequestObject = {
  name: 'socket',
  members: { handshake: SOCKET_HANDSHAKE, request: NODE_REQUEST, on: 'listener', onAny: 'listener' },
};

/**
 * How the methods a request object marks `listener` call their listeners: `on(event, listener)`
 * hands the listener what the client emitted with that event, `onAny(listener)` the event's name
 * first. A listener with more than one parameter takes the client's acknowledgement function last
 * (it sends an answer back: no input), unless that parameter gathers the rest (`...args`).
 */
export const LISTENERS: Readonly<
  Record<string, { readonly listenerArg: number; readonly eventName: boolean }>
> = {
  on: { listenerArg: 1, eventName: false },
  onAny: { listenerArg: 0, eventName: true },
};
