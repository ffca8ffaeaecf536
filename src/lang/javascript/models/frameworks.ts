/**
 * Entry points of Node web frameworks as data: a handler is a function passed to a routing method
 * of an application or router object, named by the canonical name of that object as the semantic
 * model resolves it (`const app = express()` is `express()`), or to a server constructor. The
 * parameter at `requestParam` is the framework's request object (see requests.ts).
 */
import {
  EXPRESS_REQUEST,
  FASTIFY_REQUEST,
  KOA_CONTEXT,
  NODE_REQUEST,
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
];

export const SERVERS: readonly ServerModel[] = [
  { callees: new Set(['http.createServer', 'https.createServer']), requestParam: 0, request: NODE_REQUEST },
];

/** Runtime values that are input of whoever runs the program, by canonical name. */
export const PROCESS_SOURCES: Readonly<Record<string, 'operator' | 'environment'>> = {
  'process.argv': 'operator',
  'process.env': 'environment',
};
