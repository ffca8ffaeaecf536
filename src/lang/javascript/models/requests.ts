/**
 * Request objects of Node web frameworks as data: which fields and methods of the object a handler
 * receives carry the client's input. A field may name a nested object (Koa's `ctx.request`); a
 * method's result is input (`req.get('host')`).
 */

/** One member of a request object: input read as a field, input a method returns, or a nested object. */
export type RequestMember = 'field' | 'method' | RequestObject;

export interface RequestObject {
  /** How findings name the object (`req`, `ctx`). */
  readonly name: string;
  readonly members: Readonly<Record<string, RequestMember>>;
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
    url: 'field',
    originalUrl: 'field',
    path: 'field',
    hostname: 'field',
    ip: 'field',
    get: 'method',
    header: 'method',
    param: 'method',
  },
};

/** Node's `http.IncomingMessage`: the URL and headers are the client's. */
export const NODE_REQUEST: RequestObject = { name: 'req', members: { url: 'field', headers: 'field' } };

const KOA_REQUEST: RequestObject = {
  name: 'ctx.request',
  members: {
    query: 'field',
    body: 'field',
    headers: 'field',
    url: 'field',
    path: 'field',
    querystring: 'field',
  },
};

/** Koa's context: its own shortcuts and the request it wraps. */
export const KOA_CONTEXT: RequestObject = {
  name: 'ctx',
  members: {
    query: 'field',
    params: 'field',
    headers: 'field',
    url: 'field',
    path: 'field',
    querystring: 'field',
    get: 'method',
    request: KOA_REQUEST,
  },
};

/** Fastify's `request`. */
export const FASTIFY_REQUEST: RequestObject = {
  name: 'request',
  members: { query: 'field', body: 'field', params: 'field', headers: 'field', url: 'field' },
};
