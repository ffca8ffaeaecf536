/**
 * The entries a Python model gives for each concept (see dataflow/concepts.ts for the vocabulary).
 * A framework's module lists them as data; index.ts assembles every module into what the dataflow
 * interpreter and the rules read. The config file's `taint:` entries are entries of these same types.
 */
import type {
  AttributesOf,
  CookieFlag,
  RequestInputKind,
  SanitizedCwes,
  SinkConcept,
  SourceConcept,
} from '../../../dataflow/concepts.js';
import type { Node } from '../../../parsing/parser.js';
import type { CallSite, PythonModule } from '../semantic/scope.js';

/**
 * Where data enters. Qualified names: `flask.request.args` (an attribute chain whose value and
 * anything read from it is the source), `getpass.getpass` (a call whose result is),
 * `builtins.open().read` (a method of an instance).
 */
export interface SourceModel {
  /** The config's own sources leave it out: they count as user input. */
  concept?: SourceConcept;
  kind?: RequestInputKind;
  call?: string;
  attribute?: string;
  /** A function parameter of this name holds the input (config only). */
  parameter?: string;
  label?: string;
  /** A method that reads, whatever its receiver: for receivers whose type is not tracked (`recv`). */
  method?: string;
  /** An attribute of a framework's request object (a view's `request` parameter) that holds the input. */
  requestAttribute?: string;
}

/** A call whose result is safe for the listed CWEs (all when omitted); the data still flows for others. */
export interface SanitizerModel {
  call: string;
  cwe?: SanitizedCwes;
}

/**
 * A method whose result is safe for the listed CWEs whatever data its receiver and arguments hold
 * (an ORM query's `.first()` is a row of the database, chosen but not written by the request).
 */
export interface SanitizerMethodModel {
  method: string;
  cwe: SanitizedCwes;
  /** Counts only when the receiver's text matches (`Model.objects.get`, not `dict.get`). */
  receiver?: RegExp;
}

/** A call that, used as a condition, proves its argument valid (`re.fullmatch(p, x)`, `x.isdigit()`). */
export type GuardModel = { call: string; arg: number } | { method: string };

interface SinkBase {
  /**
   * Qualified callees (`os.path.join`, `flask.send_file`); `.name` matches a method of that name on
   * any receiver (`.execute`), `Class().method` a method of a class's instance.
   */
  calls?: readonly string[];
  /** Dangerous positional arguments (default: 0) and keywords. */
  args?: readonly number[];
  keywords?: readonly string[];
  /** `x[...] = value` where x is this qualified name (`flask.session`) or an attribute of this name (`headers`). */
  stores?: readonly { object?: string; attribute?: string }[];
  /** What the argument is, for messages and flow steps; default: the concept's word. */
  what?: string;
  /** A `.name` match counts only when the receiver's text matches (`resp.headers`, `self.logger`)... */
  receiver?: RegExp;
  /** ...or when its resolved callee matches this (`logging.getLogger(name).info`). */
  knownCallee?: RegExp;
  /** A `.name` match does not count for these callees (`re.search` is no LDAP search). */
  notCallee?: RegExp;
}

/** A place where data becomes dangerous, with the attributes its concept has. */
export type SinkModel = {
  [C in SinkConcept]: SinkBase & { concept: C } & AttributesOf<C>;
}[SinkConcept];

/** A sink of the concept C. */
export type SinkOf<C extends SinkConcept> = Extract<SinkModel, { concept: C }>;

/**
 * A sink as the matcher runs it: a model's entry (or the config's, which may name a CWE instead of
 * a concept) with its wording settled and the picking rule's exclusions.
 */
export type TaintSinkSpec = SinkBase & {
  concept?: SinkConcept;
  what: string;
  /** True skips the call (a rule's own exclusion, such as a URL whose host is fixed). */
  unless?: (call: CallSite, module: PythonModule) => boolean;
};

/** Calls whose results the dataflow summarises without looking into the library. */
export interface LibrarySummaries {
  /** Results unrelated to the data of their arguments (counts, booleans, hashes). */
  cleanCalls?: readonly string[];
  /** Methods whose result says something about the data without carrying it. */
  cleanMethods?: readonly string[];
  /** Results that are data from another system (a process's output, an HTTP response). */
  externalData?: readonly string[];
  /** Take a function without calling it (wrap, register or inspect it). */
  nonCalling?: readonly string[];
  /** Module prefixes (`inspect.`) whose functions only inspect the functions they are given. */
  nonCallingModules?: readonly string[];
}

/** How an HTTP client library sends requests (its URLs are `outgoing-http-request` sinks). */
export interface HttpClientModel {
  /** Calls that send a request (`requests.get`, `requests.Session().post`). */
  requestCalls: readonly string[];
  /** Calls that make a client whose requests take its settings (`httpx.Client`). */
  clientCalls?: readonly string[];
  /** `none`: without `timeout=` a request waits forever; `finite`: the library's default applies. */
  defaultTimeout: 'none' | 'finite';
}

/** What one framework or library is, by concept. */
export interface FrameworkModel {
  name: string;
  sources?: readonly (SourceModel & { concept: SourceConcept })[];
  sinks?: readonly SinkModel[];
  sanitizers?: readonly (SanitizerModel & { cwe: SanitizedCwes })[];
  sanitizerMethods?: readonly SanitizerMethodModel[];
  guards?: readonly GuardModel[];
  /**
   * Decorator method names whose function's parameters are filled from the request (`.route`);
   * a module whose text has none of them as a decorator, nor a source hint, is parsed only when reached.
   */
  routeDecorators?: readonly string[];
  /** Parameters of an entry point that hold the client's request object (`def view(request)`). */
  requestParameterNames?: readonly string[];
  /**
   * Regular expression fragments for words that show a function may read a source (`argv`,
   * `input\\s*\\(`), besides the request parameter names and the sources' own names.
   */
  sourceHints?: readonly string[];
  /**
   * Packages whose source calls need no word of their own in the source hint: named without their
   * package (builtins), or read through the request object, whose name is already a hint.
   */
  unhintedSourcePackages?: readonly string[];
  /** A function that takes both parameters is an application: `parameter` holds the client's environ. */
  environEntryPoints?: readonly { parameter: string; withParameter: string }[];
  /**
   * Packages whose import shows a module's views take the URL's parameters after the request
   * (`def view(request, id)`).
   */
  urlParametersAfterRequestImports?: readonly string[];
  /** Calls that end the request: code after them does not run on that path (`flask.abort`). */
  terminatingCalls?: readonly {
    call: string;
    /** Ends it only when a lookup fails: its result is the normal path (`get_object_or_404`). */
    onlyOnFailure?: boolean;
  }[];
  /**
   * Methods of a request object (or its parts) that read the client's data: the source is then
   * named by the call (`request.args.get('host')`) rather than by the object.
   */
  requestMethods?: readonly string[];
  /** Keys of a CGI/WSGI environ the client controls (request headers are `HTTP_*`). */
  clientEnvironKeys?: readonly string[];
  clientEnvironPrefixes?: readonly string[];
  /** Attributes that hold a whole environ (`request.environ`, Django's `request.META`). */
  environAttributes?: readonly string[];
  summaries?: LibrarySummaries;
  /** An HTTP client library: the calls that send a request, and how long they wait by default. */
  httpClient?: HttpClientModel;
  /** Settings (`SESSION_COOKIE_SECURE = False`) that turn a protection off for the framework's own cookies. */
  cookieSettings?: { readonly [F in CookieFlag]?: readonly string[] };
}

/** `set_cookie(key, value, max_age, expires, path, domain, secure, httponly, samesite)`. */
export const SET_COOKIE_FLAG_POSITIONS = { secure: 6, httponly: 7, samesite: 8 } as const;

/** HTTP methods in lower case: the names of HTTP clients' calls and of routing decorators. */
export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/** A client's calls that send a request and return its response (the data of another system). */
export const CLIENT_CALLS = [...HTTP_METHODS, 'request', 'stream'] as const;

/** Declares a framework's model; typed so that a misspelled field or concept is a compile error. */
export function defineModel(model: FrameworkModel): FrameworkModel {
  return model;
}

/** A call's dangerous argument for a sink: under its keywords in order, else at its first position. */
export function sinkArgument(call: CallSite, sink: Pick<SinkBase, 'args' | 'keywords'>): Node | undefined {
  return call.argument(sink.args ? (sink.args[0] ?? -1) : 0, ...(sink.keywords ?? []));
}

/** Sources of one concept and kind, from lists of attributes and calls. */
export function sources(
  concept: SourceConcept,
  kind: RequestInputKind | undefined,
  names: { attributes?: readonly string[]; calls?: readonly string[]; methods?: readonly string[] },
): (SourceModel & { concept: SourceConcept })[] {
  const k = kind ? { kind } : {};
  return [
    ...(names.attributes ?? []).map((attribute) => ({ concept, ...k, attribute })),
    ...(names.calls ?? []).map((call) => ({ concept, ...k, call })),
    ...(names.methods ?? []).map((method) => ({ concept, ...k, method })),
  ];
}

/** Attributes of a framework's request object, as `http-request-input` sources of one kind. */
export function requestAttributes(
  kind: RequestInputKind,
  names: readonly string[],
): (SourceModel & { concept: SourceConcept })[] {
  return names.map((requestAttribute) => ({ concept: 'http-request-input', kind, requestAttribute }));
}

/** Sanitizers of the same CWEs. */
export function sanitizers(
  cwe: SanitizedCwes,
  calls: readonly string[],
): (SanitizerModel & { cwe: SanitizedCwes })[] {
  return calls.map((call) => ({ call, cwe }));
}
