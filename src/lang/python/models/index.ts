/**
 * Every Python framework and library model, assembled into what the dataflow interpreter reads
 * (sources, sanitizers, guards, library summaries) and what rules pick (sinks by concept).
 * Adding a framework: one file in frameworks/ and one line in MODELS.
 */
import type { Node } from '../../../parsing/parser.js';
import {
  SOURCE_CONCEPTS,
  type CookieFlag,
  type LowerTrust,
  type SinkConcept,
  type Trust,
} from '../../../dataflow/concepts.js';
import type {
  AdminGuardModel,
  CallbackModel,
  CustomConverterModel,
  EnvironEntryPoint,
  FrameworkModel,
  HandlerMethodParameters,
  HttpClientModel,
  QueryMethods,
  SanitizerMethodModel,
  SinkOf,
  SourceModel,
  TemplateEngineSetting,
  TlsModel,
} from './concepts.js';
import activeRecord from './frameworks/active-record.js';
import aiohttp from './frameworks/aiohttp.js';
import asgi from './frameworks/asgi.js';
import bleach from './frameworks/bleach.js';
import mistune from './frameworks/mistune.js';
import pyramid from './frameworks/pyramid.js';
import bottle from './frameworks/bottle.js';
import cherrypy from './frameworks/cherrypy.js';
import celery from './frameworks/celery.js';
import cheetah from './frameworks/cheetah.js';
import cgi from './frameworks/cgi.js';
import dataStores from './frameworks/data-stores.js';
import dbapi from './frameworks/dbapi.js';
import django from './frameworks/django.js';
import drf from './frameworks/drf.js';
import flask from './frameworks/flask.js';
import gradio from './frameworks/gradio.js';
import helium from './frameworks/helium.js';
import langchain from './frameworks/langchain.js';
import mitmproxy from './frameworks/mitmproxy.js';
import playwright from './frameworks/playwright.js';
import selenium from './frameworks/selenium.js';
import smolagents from './frameworks/smolagents.js';
import httpx from './frameworks/httpx.js';
import jinja2 from './frameworks/jinja2.js';
import ldap from './frameworks/ldap.js';
import lxml from './frameworks/lxml.js';
import mako from './frameworks/mako.js';
import markupsafe from './frameworks/markupsafe.js';
import numpy from './frameworks/numpy.js';
import pandas from './frameworks/pandas.js';
import invoke from './frameworks/invoke.js';
import paramiko from './frameworks/paramiko.js';
import quart from './frameworks/quart.js';
import pathvalidate from './frameworks/pathvalidate.js';
import boto3 from './frameworks/boto3.js';
import pickle from './frameworks/pickle.js';
import pytorch from './frameworks/pytorch.js';
import pydantic from './frameworks/pydantic.js';
import pyyaml from './frameworks/pyyaml.js';
import regex from './frameworks/regex.js';
import requests from './frameworks/requests.js';
import sqlalchemy from './frameworks/sqlalchemy.js';
import starlette from './frameworks/starlette.js';
import stdlib from './frameworks/stdlib.js';
import tornado from './frameworks/tornado.js';
import jupyter from './frameworks/jupyter.js';
import traitlets from './frameworks/traitlets.js';
import twisted from './frameworks/twisted.js';
import urllib3 from './frameworks/urllib3.js';
import werkzeug from './frameworks/werkzeug.js';
import wsgi from './frameworks/wsgi.js';
import xmlrpc from './frameworks/xmlrpc.js';

export const MODELS: readonly FrameworkModel[] = [
  stdlib,
  flask,
  quart,
  werkzeug,
  django,
  starlette,
  bottle,
  cherrypy,
  drf,
  aiohttp,
  wsgi,
  asgi,
  cgi,
  xmlrpc,
  tornado,
  jupyter,
  traitlets,
  twisted,
  pyramid,
  gradio,
  mitmproxy,
  smolagents,
  langchain,
  requests,
  httpx,
  urllib3,
  markupsafe,
  jinja2,
  mako,
  cheetah,
  bleach,
  mistune,
  lxml,
  selenium,
  playwright,
  helium,
  ldap,
  paramiko,
  invoke,
  pathvalidate,
  boto3,
  pickle,
  pydantic,
  pyyaml,
  numpy,
  pandas,
  pytorch,
  dbapi,
  sqlalchemy,
  activeRecord,
  dataStores,
  celery,
  regex,
];

const ALL_SOURCES: readonly SourceModel[] = MODELS.flatMap((m) => m.sources ?? []);
const trustOf = (s: SourceModel): Trust => (s.concept ? SOURCE_CONCEPTS[s.concept] : 'user');
const named = (trust: Trust, key: 'attribute' | 'call' | 'method'): string[] =>
  ALL_SOURCES.filter((s) => trustOf(s) === trust && s[key] !== undefined).map((s) => s[key] as string);

/** Qualified attribute chains whose value (and anything read from it) is user or operator input. */
export const SOURCE_ATTRIBUTES: readonly string[] = [
  ...named('user', 'attribute'),
  ...named('operator', 'attribute'),
];

/** Qualified calls whose result is user or operator input. */
export const SOURCE_CALLS: readonly string[] = [...named('user', 'call'), ...named('operator', 'call')];

/** The sources above that the operator gives (`sys.argv`, `input()`), not a client. */
export const OPERATOR_SOURCES: ReadonlySet<string> = new Set([
  ...named('operator', 'attribute'),
  ...named('operator', 'call'),
]);

/**
 * Attributes of request objects that hold no client text: the application's objects (the matched
 * route, the registry) and tokens the server parsed (the HTTP method).
 */
export const REQUEST_NON_TEXT_ATTRIBUTES: ReadonlySet<string> = new Set(
  MODELS.flatMap((m) => [...(m.requestApplicationAttributes ?? []), ...(m.requestTokenAttributes ?? [])]),
);

/** Attributes of a framework request object (Django, Starlette, DRF, aiohttp) that hold user input. */
export const REQUEST_OBJECT_ATTRIBUTES: ReadonlySet<string> = new Set(
  ALL_SOURCES.flatMap((s) => (s.requestAttribute ? [s.requestAttribute] : [])),
);

/** Sources (qualified attributes, or request attributes by name) that cannot cause some weaknesses. */
export const SOURCE_NOT_FOR: ReadonlyMap<string, readonly number[]> = new Map(
  ALL_SOURCES.flatMap((s) => {
    if (!s.notFor) return [];
    const name = s.attribute ?? s.requestAttribute ?? s.call;
    return name ? [[name, s.notFor] as const] : [];
  }),
);

/**
 * Sources that are request header values (`request.headers`, attribute chains and calls alike). The
 * server parsed them out of the request, so they cannot hold a line break.
 */
export const HEADER_SOURCES: ReadonlySet<string> = new Set(
  ALL_SOURCES.filter((s) => s.kind === 'headers').flatMap((s) =>
    [s.attribute, s.call, s.requestAttribute].filter((n): n is string => n !== undefined),
  ),
);

/** The prefix of the environ keys that hold request headers (CGI's `HTTP_*`). */
export const HEADER_ENVIRON_PREFIX = 'HTTP_';

/** Lower-trust sources, enabled by the `taint.lower-trust-sources` config section. */
export const LOWER_TRUST_ATTRIBUTES: Record<LowerTrust, readonly string[]> = {
  environment: named('environment', 'attribute'),
  files: named('files', 'attribute'),
  sockets: named('sockets', 'attribute'),
};
export const LOWER_TRUST_CALLS: Record<LowerTrust, readonly string[]> = {
  environment: named('environment', 'call'),
  files: named('files', 'call'),
  sockets: named('sockets', 'call'),
};
/** Method names that read from a file or socket object, for receivers whose type is not tracked. */
export const LOWER_TRUST_METHODS: Record<'files' | 'sockets', readonly string[]> = {
  files: named('files', 'method'),
  sockets: named('sockets', 'method'),
};

const CLIENT_ENVIRON_KEYS = new Set(MODELS.flatMap((m) => m.clientEnvironKeys ?? []));
const CLIENT_ENVIRON_PREFIXES = MODELS.flatMap((m) => m.clientEnvironPrefixes ?? []);

/** Whether the value of environ[key] may come from the client. */
export function isClientEnvironKey(key: string): boolean {
  return CLIENT_ENVIRON_PREFIXES.some((p) => key.startsWith(p)) || CLIENT_ENVIRON_KEYS.has(key);
}

const ENVIRON_ATTRIBUTES = new Set(MODELS.flatMap((m) => m.environAttributes ?? []));

/** Whether an attribute (`environ`) or qualified name (`flask.request.environ`) is a whole environ. */
export function isEnvironAttribute(name: string): boolean {
  return ENVIRON_ATTRIBUTES.has(name.slice(name.lastIndexOf('.') + 1));
}

type ListKey = {
  [K in keyof FrameworkModel]-?: NonNullable<FrameworkModel[K]> extends readonly unknown[] ? K : never;
}[keyof FrameworkModel];
type ItemOf<K extends ListKey> = NonNullable<FrameworkModel[K]> extends readonly (infer T)[] ? T : never;

/** Every model's entries of one kind, in the order of MODELS. */
const each = <K extends ListKey>(key: K): ItemOf<K>[] =>
  MODELS.flatMap((m) => (m[key] ?? []) as readonly ItemOf<K>[]);

const ROUTE_DECORATOR_NAMES = [...new Set(each('routeDecorators'))].join('|');

/** Decorators whose function's parameters are filled from the request (route and path parameters). */
export const ROUTE_DECORATOR = new RegExp(`\\.(${ROUTE_DECORATOR_NAMES})$`);

/**
 * Text that may hold an entry point: a route decorator. A module without it (or a source hint,
 * see dataflow/entry-points.ts) is parsed only when a call or import reaches it.
 */
export const ROUTE_TEXT = new RegExp(`@\\s*[\\w.]+\\.(${ROUTE_DECORATOR_NAMES})\\b`);

/** How each framework's routes send what they return (see FrameworkModel.routeReturns). */
export const ROUTE_RETURNS: readonly NonNullable<FrameworkModel['routeReturns']>[] = MODELS.flatMap((m) =>
  m.routeReturns ? [m.routeReturns] : [],
);

/** Template engines used directly (see FrameworkModel.templateEngine). */
export const TEMPLATE_ENGINES: readonly NonNullable<FrameworkModel['templateEngine']>[] = MODELS.flatMap(
  (m) => (m.templateEngine ? [m.templateEngine] : []),
);

/** Every model's guards that let only administrators reach a handler, merged. */
export const ADMIN_GUARDS: {
  readonly [K in keyof AdminGuardModel]-?: K extends 'handlerClasses'
    ? NonNullable<AdminGuardModel[K]>
    : ReadonlySet<string>;
} = (() => {
  const all = MODELS.flatMap((m) => (m.adminGuards ? [m.adminGuards] : []));
  const set = (k: Exclude<keyof AdminGuardModel, 'handlerClasses'>): ReadonlySet<string> =>
    new Set(all.flatMap((g) => g[k] ?? []));
  return {
    decorators: set('decorators'),
    userTests: set('userTests'),
    userFlags: set('userFlags'),
    adapters: set('adapters'),
    handlerClasses: all.flatMap((g) => g.handlerClasses ?? []),
    permissionAttributes: set('permissionAttributes'),
    permissionDecorators: set('permissionDecorators'),
    permissions: set('permissions'),
    dependencyKeywords: set('dependencyKeywords'),
    routers: set('routers'),
    routerInclusions: set('routerInclusions'),
    viewWrappers: set('viewWrappers'),
  };
})();

/** Calls that inject a dependency's result into a route parameter (`fastapi.Depends`). */
export const DEPENDENCY_MARKERS: ReadonlySet<string> = new Set(
  MODELS.flatMap((m) => m.routeParameters?.dependencyMarkers ?? []),
);

/** Path converters whose value is no free text (`<int:id>`, `{id:int}`). */
export const TYPED_CONVERTERS: ReadonlySet<string> = new Set(
  MODELS.flatMap((m) => m.routeParameters?.typedConverters ?? []),
);

/** How projects register path converters of their own (`app.url_map.converters["hex"] = Hex`). */
export const CUSTOM_CONVERTERS: readonly CustomConverterModel[] = MODELS.flatMap(
  (m) => m.routeParameters?.customConverters ?? [],
);

/** Objects that hold attributes for the current request only (`flask.g`). */
export const REQUEST_GLOBALS: ReadonlySet<string> = new Set(each('requestGlobals'));

/** Functions a framework runs before each view of an application or blueprint (see FrameworkModel). */
export const VIEW_PRELUDES: readonly { decorators: readonly string[]; valuesParameter?: number }[] =
  each('viewPreludes');

/** Functions of URL configurations that map patterns to views (`django.urls.path`). */
export const URL_PATTERN_FUNCTIONS: readonly string[] = MODELS.flatMap(
  (m) => m.routeParameters?.patternFunctions ?? [],
);

/** Annotations of values that hold no free text. */
export const NON_TEXT_TYPES: ReadonlySet<string> = new Set(each('nonTextTypes'));

/** Base classes of enumerations. */
export const ENUM_BASES: ReadonlySet<string> = new Set(each('enumBases'));

/** Base classes of database models (their instances are records read from storage). */
export const RECORD_BASES: ReadonlySet<string> = new Set(each('recordBases'));

/** Base classes of forms bound to a model, whose `save()` writes its fields (see FrameworkModel.recordForms). */
export const RECORD_FORMS: ReadonlySet<string> = new Set(each('recordForms'));

/** Methods of a bound form that check one of its fields, by the prefix of their name (`clean_`). */
export const RECORD_FORM_CHECK_PREFIXES: readonly string[] = each('recordFormChecks').flatMap(
  (c) => c.methodPrefixes ?? [],
);

/** `Meta` attributes of a bound form that list fields it never saves from its data (`read_only_fields`). */
export const RECORD_FORM_READ_ONLY: readonly string[] = each('recordFormChecks').flatMap(
  (c) => c.readOnlyMeta ?? [],
);

/** Views that save a bound form from the request with no code of the project's (see FrameworkModel.recordViews). */
export const RECORD_VIEWS: readonly { bases: ReadonlySet<string>; attribute: string }[] = each(
  'recordViews',
).map((v) => ({ bases: new Set(v.bases), attribute: v.attribute }));

/** Functions frameworks call with outside data (see CallbackModel). */
export const CALLBACKS: readonly CallbackModel[] = each('callbacks');

/** The packages that callbacks' bases, decorators and registering calls belong to. */
const CALLBACK_PACKAGES = [
  ...new Set(
    CALLBACKS.flatMap((c) => [
      ...(c.bases ?? []),
      ...(c.decorators ?? []).filter((q) => !q.startsWith('.')),
      ...(c.registrations ?? []).flatMap((r) => r.calls.filter((q) => !q.startsWith('.'))),
      ...(c.imports ?? []),
    ]).map((q) => q.split('.')[0] as string),
  ),
];

/**
 * Text that may hold a callback: an import of one of their packages (`from gradio.components
 * import Component`). A module without it (nor a route or source hint) is parsed only when reached.
 */
export const CALLBACK_TEXT: RegExp = CALLBACK_PACKAGES.length
  ? new RegExp(`\\b(from|import)\\s+(${CALLBACK_PACKAGES.join('|')})\\b`)
  : /(?!)/;

/** Parameters of an entry point that hold the client's request object. */
export const REQUEST_PARAMETER_NAMES: ReadonlySet<string> = new Set(each('requestParameterNames'));
/** Annotations that make a parameter a request object (`handler: web.RequestHandler`). */
export const REQUEST_TYPES: ReadonlySet<string> = new Set(each('requestTypes'));
/** Library classes whose subclasses' instances are request objects (see FrameworkModel). */
export const REQUEST_HANDLER_CLASSES: ReadonlySet<string> = new Set(each('requestHandlerClasses'));
/** Servlet classes whose `on_GET` methods take a URL pattern's groups (see FrameworkModel.patternServlets). */
export const PATTERN_SERVLETS: readonly { methodPrefix: string; patternAttribute: string }[] =
  each('patternServlets');

/** Methods of library classes' subclasses that the framework calls with the client's data. */
export const HANDLER_METHOD_PARAMETERS: readonly HandlerMethodParameters[] = each('handlerMethodParameters');
/** Attributes of a request handler instance that read the client's request (`self.get_argument`). */
export const REQUEST_HANDLER_ATTRIBUTES: ReadonlySet<string> = new Set(each('requestHandlerAttributes'));
/** Parameters of a handler class's class and static methods that take a request handler (see FrameworkModel). */
export const REQUEST_HANDLER_PARAMETER_NAMES: ReadonlySet<string> = new Set(
  each('requestHandlerParameterNames'),
);
/** Attributes of a request object that are a request object too. */
export const NESTED_REQUEST_ATTRIBUTES: ReadonlySet<string> = new Set(each('nestedRequestAttributes'));
/** Attributes of a handler's request that hold the path its route matched (see FrameworkModel). */
export const ROUTED_PATH_ATTRIBUTES: ReadonlySet<string> = new Set(each('routedPathAttributes'));

/** Regular expression fragments for words that show a function may read a source, the request parameters first. */
export const SOURCE_HINT_WORDS: readonly string[] = [
  ...new Set([...REQUEST_PARAMETER_NAMES, ...each('sourceHints')]),
];

/** Packages whose source calls need no word of their own in the source hint. */
export const UNHINTED_SOURCE_PACKAGES: ReadonlySet<string> = new Set(each('unhintedSourcePackages'));

/** Parameter pairs of an application that takes the client's request as a mapping (WSGI's `environ, start_response`). */
export const ENVIRON_ENTRY_POINTS: readonly EnvironEntryPoint[] = each('environEntryPoints');

const URL_PARAMETERS_AFTER_REQUEST = new RegExp(
  `\\b(from|import)\\s+(${each('urlParametersAfterRequestImports').join('|')})\\b`,
);

/** Whether a module's views take the URL's parameters after the request (it imports such a framework). */
export function urlParametersFollowRequest(text: string): boolean {
  return URL_PARAMETERS_AFTER_REQUEST.test(text);
}

/** Calls (by qualified name) that, in statement position, end the request on every path. */
export const REQUEST_ENDING_CALLS: ReadonlySet<string> = new Set(
  each('terminatingCalls').flatMap((t) => (t.onlyOnFailure ? [] : [t.call])),
);

/** Methods of a request object (or its parts) that read the client's data. */
export const REQUEST_DATA_METHODS: ReadonlySet<string> = new Set(each('requestMethods'));

const summary = (key: Exclude<keyof NonNullable<FrameworkModel['summaries']>, 'queryMethods'>): string[] =>
  MODELS.flatMap((m) => m.summaries?.[key] ?? []);

/** Calls that return a value unrelated to the data of their arguments (counts, booleans, hashes). */
export const CLEAN_CALLS: ReadonlySet<string> = new Set(summary('cleanCalls'));

/** Methods whose result says something about the data without carrying it. */
export const CLEAN_METHODS: ReadonlySet<string> = new Set(summary('cleanMethods'));

/**
 * Calls whose result is data from another system (a process's output, an HTTP response, a socket):
 * what comes back was not written by whoever chose the arguments, so it does not carry their taint.
 * (The config's lower-trust sources still apply to reads from files and sockets.)
 */
export const EXTERNAL_DATA_CALLS: ReadonlySet<string> = new Set(summary('externalData'));

/**
 * Library calls that take a function without calling it: they copy its metadata, wrap or register
 * it for later, or inspect it. The function runs when its caller calls it, with that caller's data;
 * running it here, with no data, finds nothing (on nova, `functools.wraps(f)` alone ran each
 * decorated API method once more: 40% of the dataflow pass).
 */
export const NON_CALLING_CALLS: ReadonlySet<string> = new Set(summary('nonCalling'));

/** Methods of database queries whose result is a stored record, by the receiver they are called on. */
export const QUERY_METHODS: readonly (Omit<QueryMethods, 'methods'> & { methods: ReadonlySet<string> })[] =
  MODELS.flatMap((m) => m.summaries?.queryMethods ?? []).map((q) => ({ ...q, methods: new Set(q.methods) }));

/** Calls whose result is a record read from storage (`get_object_or_404(Model, pk=pk)`). */
export const RECORD_CALLS: ReadonlySet<string> = new Set(summary('recordCalls'));

/** Calls whose result is such a record or None (`authenticate(request, **credentials)`). */
export const OPTIONAL_RECORD_CALLS: ReadonlySet<string> = new Set(summary('optionalRecordCalls'));

/** Calls that append their later arguments to the first as a query string (`url_concat`). */
export const QUERY_APPENDERS: ReadonlySet<string> = new Set(summary('queryAppenders'));

/** Modules whose functions only inspect the functions they are given (`inspect.signature(f)`). */
export const NON_CALLING_MODULES: readonly string[] = summary('nonCallingModules');

/** Decorators that make a method a computed attribute, as `property` does (`functools.cached_property`). */
export const PROPERTY_DECORATORS: ReadonlySet<string> = new Set(summary('propertyDecorators'));

/** Calls (and `.methods`) that return a URL of the application itself. */
export const INTERNAL_URL_CALLS: ReadonlySet<string> = new Set(each('internalUrls'));

/** What a URL of the application's own views is safe for: redirects, requests, paths, HTML, headers. */
export const INTERNAL_URL_CWES: readonly number[] = [601, 918, 22, 79, 113];

/** Sanitizers: the result is safe for the listed CWEs (the data still flows for others). */
export const SANITIZERS: Record<string, readonly number[]> = Object.fromEntries([
  ...MODELS.flatMap((m) => m.sanitizers ?? []).map((s) => [s.call, s.cwe] as const),
  ...[...INTERNAL_URL_CALLS].filter((c) => !c.startsWith('.')).map((c) => [c, INTERNAL_URL_CWES] as const),
]);

/** The sanitizers above that a constant keyword switches off (see SanitizerModel.unless). */
export const SANITIZER_CONDITIONS: ReadonlyMap<string, { keyword: string; value: boolean }> = new Map(
  MODELS.flatMap((m) => m.sanitizers ?? []).flatMap((s) => (s.unless ? [[s.call, s.unless] as const] : [])),
);

/**
 * Methods that produce a value safe for some CWEs, by name (with a condition on the receiver). The
 * internal URL methods of any receiver (`request.url_for("callback", slug=slug)`) are among them: the
 * values they are given only fill the path of one of the application's routes.
 */
export const SANITIZER_METHODS: ReadonlyMap<string, readonly SanitizerMethodModel[]> = (() => {
  const byName = new Map<string, SanitizerMethodModel[]>();
  const internal = [...INTERNAL_URL_CALLS]
    .filter((c) => c.startsWith('.'))
    .map((c): SanitizerMethodModel => ({ method: c.slice(1), cwe: INTERNAL_URL_CWES }));
  for (const m of [...MODELS.flatMap((x) => x.sanitizerMethods ?? []), ...internal])
    byName.set(m.method, [...(byName.get(m.method) ?? []), m]);
  return byName;
})();

const GUARDS = MODELS.flatMap((m) => m.guards ?? []);

/** Calls that prove the data (the argument at the given position) valid when used as a condition. */
export const CHECK_CALLS: ReadonlyMap<string, number> = new Map(
  GUARDS.flatMap((g) => ('call' in g ? [[g.call, g.arg] as const] : [])),
);
export const CHECK_METHODS: ReadonlySet<string> = new Set(
  GUARDS.flatMap((g) => ('method' in g ? [g.method] : [])),
);
/** Checks by function name, wherever defined: the argument they prove and the CWEs they prove it safe for. */
export const CHECK_FUNCTIONS: ReadonlyMap<string, { arg: number; cwe?: readonly number[] }> = new Map(
  GUARDS.flatMap((g) => ('function' in g ? [[g.function, { arg: g.arg, cwe: g.cwe }] as const] : [])),
);

/** The parameter names of the checked arguments, by call or function name, for calls that pass it by name. */
export const CHECK_KEYWORDS: ReadonlyMap<string, string> = new Map(
  GUARDS.flatMap((g) =>
    'keyword' in g && g.keyword ? [['call' in g ? g.call : g.function, g.keyword] as const] : [],
  ),
);

/** The argument a check proves: at its position, or passed by its parameter's name. */
export function checkedArgument(call: Node, index: number, name: string): Node | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const positional = args.filter((a) => a?.type !== 'keyword_argument');
  if (positional[index]) return positional[index] ?? undefined;
  const keyword = CHECK_KEYWORDS.get(name);
  if (!keyword) return undefined;
  const kw = args.find(
    (a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === keyword,
  );
  return kw?.childForFieldName('value') ?? undefined;
}

/**
 * The top-level packages of the libraries the models name (`flask`, `tornado`, `traitlets`): the
 * first part of every qualified name they hold.
 */
export const MODELLED_PACKAGES: ReadonlySet<string> = (() => {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      const m = /^([A-Za-z_]\w*)\.[A-Za-z_]/.exec(v);
      if (m) out.add(m[1]);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && !(v instanceof RegExp)) Object.values(v).forEach(walk);
  };
  walk(MODELS);
  return out;
})();

/** Class methods that return the instance of the class they are called on, by name, with its library bases. */
export const SINGLETON_ACCESSORS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  each('singletonAccessors').map((s) => [s.method, new Set(s.bases)] as const),
);

/** Functions, by name wherever defined, that join the pieces of a URL path (`url_path_join`). */
export const URL_PATH_JOINS: ReadonlySet<string> = new Set(each('urlPathJoins'));

/** Calls that split a URL into its parts (`urllib.parse.urlparse`). */
export const URL_PARSERS: ReadonlySet<string> = new Set(each('urlParsers'));

/** The HTTP client libraries, with their model's name. */
export const HTTP_CLIENTS: readonly (HttpClientModel & { name: string })[] = MODELS.flatMap((m) =>
  m.httpClient ? [{ name: m.name, ...m.httpClient }] : [],
);

/** The libraries whose TLS certificate checks can be switched off, with their model's name. */
export const TLS_LIBRARIES: readonly (TlsModel & { name: string })[] = MODELS.flatMap((m) =>
  m.tls ? [{ name: m.name, ...m.tls }] : [],
);

/**
 * The escaping settings of the template engines one library (`jinja2`, `mako`) makes: its own
 * model's, and those of framework integrations that set it up (`aiohttp_jinja2.setup`).
 */
export function templateEngineSettings(library: string): readonly TemplateEngineSetting[] {
  return MODELS.flatMap((m) => (m.templateEngines ?? []).filter((t) => (t.engine ?? m.name) === library));
}

/** Settings that turn a cookie protection off for a framework's own cookies. */
export function cookieSettings(flag: CookieFlag): ReadonlySet<string> {
  return new Set(MODELS.flatMap((m) => m.cookieSettings?.[flag] ?? []));
}

/** Every model's sinks of a concept, in the order of MODELS. */
export function sinksOf<C extends SinkConcept>(concept: C): SinkOf<C>[] {
  return MODELS.flatMap((m) => m.sinks ?? []).filter((s): s is SinkOf<C> => s.concept === concept);
}

/** The sinks of a concept by qualified callee (`.name` method patterns left out), for rules whose check traces them. */
export function sinksByCallee<C extends SinkConcept>(concept: C): ReadonlyMap<string, SinkOf<C>> {
  return new Map(
    sinksOf(concept).flatMap((sink) =>
      (sink.calls ?? []).filter((c) => !c.startsWith('.')).map((callee) => [callee, sink] as const),
    ),
  );
}

/**
 * The models' sinks of a concept named as methods (`.execute`, `.set_cookie`), by method name: for
 * receivers whose type the code seldom shows. `which` keeps only some of the concept's sinks.
 */
export function sinksByMethod<C extends SinkConcept>(
  concept: C,
  which: (sink: SinkOf<C>) => boolean = () => true,
): ReadonlyMap<string, SinkOf<C>> {
  return new Map(
    sinksOf(concept)
      .filter(which)
      .flatMap((sink) =>
        (sink.calls ?? []).filter((c) => c.startsWith('.')).map((c) => [c.slice(1), sink] as const),
      ),
  );
}

export { ADMIN_NAME_WORDS } from './privileges.js';

/** The qualified callees of every model's sinks (`.name` method patterns left out). */
export function sinkCallNames(): readonly string[] {
  return MODELS.flatMap((m) => m.sinks ?? []).flatMap((s) =>
    (s.calls ?? []).filter((c) => !c.startsWith('.')),
  );
}
