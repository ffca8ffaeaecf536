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
  /**
   * Weaknesses the input cannot cause although the client sends it: the request's own path is a
   * path the application routed to this view, so redirecting to it stays on the site (601).
   */
  notFor?: SanitizedCwes;
}

/** A call whose result is safe for the listed CWEs (all when omitted); the data still flows for others. */
export interface SanitizerModel {
  /**
   * The qualified callee; `f()` for what calling the result of `f` returns (a renderer that
   * `mistune.create_markdown` makes).
   */
  call: string;
  cwe?: SanitizedCwes;
  /**
   * No sanitizer when this keyword is passed as this constant: to the call itself, or for `f()`
   * to the call of `f` that made the function (`create_markdown(escape=False)`).
   */
  unless?: { keyword: string; value: boolean };
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

/**
 * A call that, used as a condition, proves its argument valid (`re.fullmatch(p, x)`, `x.isdigit()`).
 * `function` matches a function of that name wherever it is defined: projects keep their own copy
 * of a well-known check (`is_safe_url`); `cwe` limits what it proves the value safe for. `keyword`
 * is the parameter's name, for calls that pass it by name (`url_has_allowed_host_and_scheme(url=x)`).
 */
export type GuardModel = (
  | { call: string; arg: number; keyword?: string }
  | { method: string }
  | { function: string; arg: number; keyword?: string }
) & { cwe?: SanitizedCwes };

interface SinkBase {
  /**
   * Qualified callees (`os.path.join`, `flask.send_file`); `.name` matches a method of that name on
   * any receiver (`.execute`), `Class().method` a method of a class's instance.
   */
  calls?: readonly string[];
  /** Dangerous positional arguments (default: 0) and keywords. */
  args?: readonly number[];
  keywords?: readonly string[];
  /** The receiver is a dangerous value too (`Path(name).read_text()`: the path is the receiver). */
  receiverValue?: boolean;
  /**
   * `x[...] = value` where x is this qualified name (`flask.session`) or an attribute of this name
   * (`headers`); an attribute's store counts only where `receiver` (if any) matches its text.
   */
  stores?: readonly { object?: string; attribute?: string }[];
  /** What the argument is, for messages and flow steps; default: the concept's word. */
  what?: string;
  /** A `.name` match counts only when the receiver's text matches (`resp.headers`, `self.logger`)... */
  receiver?: RegExp;
  /** ...or when its resolved callee matches this (`logging.getLogger(name).info`). */
  knownCallee?: RegExp;
  /** A `.name` match does not count for these callees (`re.search` is no LDAP search). */
  notCallee?: RegExp;
  /**
   * Left out of the sinks the concept's dataflow rule traces: only structural checks look at it
   * (select.ts's `checkedSinks(concept, 'all')`).
   */
  untraced?: boolean;
  /**
   * Counts only when the argument at `index` is written as text matching `text`: a locator call is
   * an XPath query only with `By.XPATH` as its strategy (`find_element(By.XPATH, expr)`). A project
   * wrapper's caller does not show that argument, so wrappers of such a sink are not followed.
   */
  whenArgument?: { index: number; keyword?: string; text: RegExp };
  /**
   * Counts only when the dangerous argument's code matches (a selector that is written as XPath:
   * `"xpath=//a"` or a string starting `//`); its other parts may come from anywhere.
   */
  argumentText?: RegExp;
  /**
   * Counts only in these methods of classes whose bases include one of `bases` (qualified; through
   * classes of the same module too): what a Gradio component's `preprocess` builds goes to the app.
   * `returned`: only in the expression of a `return` (a value checked before it is returned is not).
   */
  within?: { bases: readonly string[]; methods: readonly string[]; returned?: boolean };
  /** A `*parts` argument is dangerous too (`os.path.join(root, *segments)`). */
  splats?: boolean;
  /**
   * The call acts on a file only and fails on a directory (`open`, `os.remove`): a path that names
   * an entry of a directory the program chose, or that directory or its parent, stays inside.
   */
  filesOnly?: boolean;
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
  /** `unless` reads only the dangerous argument: it judges a value a wrapper's caller hands on as well. */
  unlessOnArgument?: boolean;
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
  /**
   * Decorators that make a method a computed attribute, as `property` does (`functools.cached_property`):
   * `obj.name` runs the method on `obj` and gives what it returns.
   */
  propertyDecorators?: readonly string[];
  /**
   * Methods of a database query (`User.objects.get(pk=pk)`), told by their receiver: the result is
   * a record read from storage; the arguments only select the rows and are not carried into it.
   * The record is a fresh object, so what the request writes into it afterwards stays tainted.
   */
  queryMethods?: readonly QueryMethods[];
  /** Calls whose result is such a record (`get_object_or_404(Model, pk=pk)`). */
  recordCalls?: readonly string[];
  /**
   * Calls whose result is such a record or None (`authenticate(request, username=u, password=p)`):
   * not the arguments' data; the analysis does not follow the object, so `is None` stays open.
   */
  optionalRecordCalls?: readonly string[];
  /**
   * Calls that append their arguments after the first to it as a query string (Tornado's
   * `url_concat(url, {"next": x})`): those arguments pick neither the host nor the path.
   */
  queryAppenders?: readonly string[];
}

/** Lookup methods of one library, told by the text of their receiver. */
export interface QueryMethods {
  receiver: RegExp;
  methods: readonly string[];
  /** Methods told by their name's shape (a data store's `get_run`, `find_model`), besides `methods`. */
  methodPattern?: RegExp;
  /** Counts only when the first argument's text matches (`session.get(User, pk)`, not `session.get("k")`). */
  firstArgument?: RegExp;
  /**
   * Also counts whatever the receiver when every argument is a keyword, as field lookups are
   * (`finding.files.filter(id=file_id)`, a related manager); a mapping's `get` takes none.
   */
  keywordLookups?: boolean;
}

/** How an HTTP client library sends requests (its URLs are `outgoing-http-request` sinks). */
export interface HttpClientModel {
  /** Calls that send a request (`requests.get`, `requests.Session().post`). */
  requestCalls: readonly string[];
  /** Calls that make a client whose requests take its settings (`httpx.Client`). */
  clientCalls?: readonly string[];
  /**
   * `none`: without `timeout=` a request waits forever; `finite`: the library's default applies;
   * left out, request-without-timeout does not judge the library.
   */
  defaultTimeout?: 'none' | 'finite';
}

/** How a library's TLS certificate checks are switched off (read by tls-verification-disabled). */
export interface TlsModel {
  /**
   * Packages whose calls (`requests.get`, `httpx.Client`, `aiohttp.TCPConnector`) take the keywords
   * below; the methods of the library's HTTP client take them too, whatever their receiver.
   */
  packages?: readonly string[];
  /** Keywords whose constant false value turns the checks off (`verify=False`, aiohttp's `ssl=False`). */
  offKeywords?: readonly string[];
  /** A keyword whose value `ssl.CERT_NONE` turns them off (urllib3's `cert_reqs`). */
  requirementKeyword?: string;
  /** Calls that return a context that checks neither the certificate nor the host name. */
  unverifiedContexts?: readonly string[];
  /** Calls that check no certificate unless given `requirementKeyword` (`ssl.wrap_socket`). */
  uncheckedByDefault?: readonly string[];
}

/**
 * A template engine's constructor and the setting that decides whether rendered values are
 * HTML-escaped. Not a sink: no data needs to flow into it, the setting alone is the weakness (the
 * templates it renders are `template-rendering` sinks of their own).
 */
export interface TemplateEngineSetting {
  /** Calls that make an engine or a template (`jinja2.Environment`, `mako.lookup.TemplateLookup`). */
  calls: readonly string[];
  /** The keyword that controls escaping; left out, the engine does not escape. */
  keyword: string;
  /**
   * `flag`: any value but a constant false escapes (`autoescape=select_autoescape()`);
   * `filters`: a constant list of filters escapes when one of them matches `escapingFilter`.
   */
  escapesWhen: { kind: 'flag' } | { kind: 'filters'; escapingFilter: RegExp };
  /** What these calls make is as often plain text (e-mails, config files) as HTML. */
  oftenPlainText?: boolean;
  /**
   * A web framework's integration of a template library (`aiohttp_jinja2.setup`): the library whose
   * environment it makes (its rule judges it), when the model is the framework's.
   */
  engine?: string;
  /** The integration escapes unless told otherwise: only an explicit off (`autoescape=False`) counts. */
  escapesByDefault?: boolean;
  /** The engine renders the framework's web pages, so its output is HTML. */
  rendersPages?: boolean;
}

/**
 * A project's own path converter, registered under the name its route patterns use: by assigning
 * into a mapping attribute (`app.url_map.converters["hex"] = HexConverter`) or by a call given the
 * name and the converter (`register_url_convertor("hex", HexConvertor())`). The framework matches
 * the segment against the class's pattern attribute, then passes the view what the value method
 * returns for it (a request whose segment it rejects, by raising, gets no view).
 */
export interface CustomConverterModel {
  /** The mapping attribute assigned into by name (`url_map.converters`). */
  mapping?: string;
  /** Or the registering call, with the positions of the name and the converter (class or instance). */
  call?: { name: string; nameArg: number; converterArg: number };
  /** The class attribute holding the regular expression a segment must match (`regex`). */
  regexAttribute: string;
  /** The method that turns the matched text into the parameter's value (`to_python`). */
  valueMethod: string;
}

/**
 * How a framework lets only administrators reach a handler: guards it checks before the handler
 * runs. A guard the project defines counts when its name says so (see privileges.ts); these are
 * the framework's own guards and the places guards are written.
 */
export interface AdminGuardModel {
  /** Decorators (qualified) that admit only administrators (`staff_member_required`). */
  decorators?: readonly string[];
  /** Decorators that take a test of the user: administrator-only when the test reads `userFlags`. */
  userTests?: readonly string[];
  /** Attributes of a user that mark administrators (`is_superuser`, `is_staff`). */
  userFlags?: readonly string[];
  /** Decorators that apply the decorator they are given to a method or class (`method_decorator`). */
  adapters?: readonly string[];
  /** Classes whose methods only administrators reach, and methods of theirs anyone reaches. */
  handlerClasses?: readonly { bases: readonly string[]; publicMethods?: readonly string[] }[];
  /** Class attributes and decorator keywords or decorators listing permissions that must all pass. */
  permissionAttributes?: readonly string[];
  permissionDecorators?: readonly string[];
  /** Permission classes (qualified) that admit only administrators (`IsAdminUser`). */
  permissions?: readonly string[];
  /** Keywords of route decorators, routers and router inclusions that list dependencies (`dependencies`). */
  dependencyKeywords?: readonly string[];
  /** Router constructors whose dependencies guard every route of the router (`fastapi.APIRouter`). */
  routers?: readonly string[];
  /** Methods that include a router with extra dependencies (`include_router`). */
  routerInclusions?: readonly string[];
  /** Methods that wrap a view in a URL configuration so only administrators reach it (`admin_view`). */
  viewWrappers?: readonly string[];
}

/**
 * Functions a framework or library calls with data from outside the program, besides HTTP routes:
 * methods of subclasses of a library class (Gradio's `Component.preprocess(self, payload)` gets the
 * browser's payload), functions a decorator registers (an agent's `@tool`), and functions a call
 * registers (`button.click(fn, inputs, outputs)`). Their parameters are sources.
 */
export interface CallbackModel {
  /** Methods named in `methods` of classes (of the project or a library) whose bases include one of these. */
  bases?: readonly string[];
  methods?: readonly string[];
  /**
   * Functions carrying one of these decorators (qualified; `@tool` and `@tool(...)` both count), or
   * `.name` for a method of any receiver in a module that imports one of `imports`
   * (`@server.register_function`).
   */
  decorators?: readonly string[];
  /**
   * Functions handed to these calls (qualified, or `.name` for a method of any receiver in a module
   * that imports one of `imports`) as the argument at `arg` or under `keyword`.
   */
  registrations?: readonly { calls: readonly string[]; arg: number; keyword: string }[];
  /**
   * Calls (`.name` in a module that imports one of `imports`) that register an object, the argument
   * at `arg` or under `keyword`: the framework calls every method of its class whose name does not
   * begin with `_` with the client's arguments, unless the class has a method named `dispatch`,
   * which then gets the method's name and arguments instead (an XML-RPC server's
   * `register_instance(obj)`). The object is an instance made where it is registered, a name bound
   * once to one, or `self` in a method of the class.
   */
  instanceRegistrations?: readonly {
    calls: readonly string[];
    arg: number;
    keyword: string;
    dispatch?: string;
  }[];
  /**
   * The positions (after `self` or `cls`) of the parameters that hold outside data; the others
   * hold the framework's own values (a URL value preprocessor's endpoint name). All when left out.
   */
  parameters?: readonly number[];
  /** Packages whose import shows a module may register `.name` callbacks. */
  imports?: readonly string[];
  /**
   * Who chooses the values: a remote client, or a language model, whose choice text it read (a web
   * page, a document, a tool's result) can steer (prompt injection): reported at medium confidence.
   * `application`: the project's own code chose the value (what an app's function returned for a
   * component to show), which apps often take from a user; a source only for `onlyFor`, the
   * weaknesses the framework itself guards such values against, reported at medium confidence.
   */
  chosenBy: 'client' | 'language-model' | 'application';
  /** With `chosenBy: 'application'`: the CWEs the parameters are a source for. */
  onlyFor?: SanitizedCwes;
  /** How findings name such a parameter (`tool argument`). */
  what: string;
  /**
   * Parameters annotated only with these types (and `None`) hold what the framework checked before
   * the call, safe for `cwe`: Gradio moves a payload's files into its cache, or rejects one outside
   * its upload folder, before `preprocess` gets a `FileData`.
   */
  checkedTypes?: { types: readonly string[]; cwe: SanitizedCwes };
}

/** See FrameworkModel.handlerMethodParameters. */
export interface HandlerMethodParameters {
  /** Library classes (qualified) whose subclasses' methods these are. */
  bases: readonly string[];
  methods: readonly string[];
  /** The position of the parameter that holds the request object. */
  request?: number;
  /** The position of the parameter that holds text of the URL's path, and what it is. */
  path?: { index: number; what: string; segment?: boolean };
  /**
   * What the method returns is the response body, sent with this media type unless the method
   * sets another with one of `headerSetters` on its request (`request.setHeader(b"content-type", ...)`).
   */
  returnsBody?: { contentType: string; headerSetters: readonly string[] };
}

/**
 * An application that takes the request as a mapping (WSGI's `environ`, ASGI's `scope`): a function
 * with both parameters. `label` names the mapping in messages; `returnsBody` says whether what the
 * application returns is the response body (WSGI's iterable, not ASGI's).
 */
export interface EnvironEntryPoint {
  parameter: string;
  withParameter: string;
  label: string;
  returnsBody: boolean;
  /** Weaknesses the mapping's client keys cannot cause (see SourceModel.notFor). */
  notFor?: SanitizedCwes;
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
   * Attributes the framework sets on its request objects for the application: the matched route or
   * service, the registry, the resource. They hold the application's objects, not the client's data,
   * also on a request object built from client data (a sub-request made from the client's path).
   */
  requestApplicationAttributes?: readonly string[];
  /**
   * Attributes of request objects that hold a token of a fixed grammar (the HTTP method, which the
   * server parsed from the request line), never free text, also on a sub-request.
   */
  requestTokenAttributes?: readonly string[];
  /**
   * Decorator method names whose function's parameters are filled from the request (`.route`);
   * a module whose text has none of them as a decorator, nor a source hint, is parsed only when reached.
   */
  routeDecorators?: readonly string[];
  /**
   * Route parameters the framework fills with something other than the client's text: a
   * dependency's result (`db: Session = Depends(get_db)`), or a path segment its converter turned
   * into a number or UUID (`<int:id>`, `{id:int}`).
   */
  routeParameters?: {
    /** Calls that, as a parameter's default or `Annotated[...]` metadata, inject a dependency. */
    dependencyMarkers?: readonly string[];
    /** Path converters whose value is no free text (`int`, `uuid`). */
    typedConverters?: readonly string[];
    /**
     * Functions of a URL configuration that map a pattern to a view (`django.urls.path`): their
     * patterns' converters and named groups type the view's parameters.
     */
    patternFunctions?: readonly string[];
    /** How a project registers path converters of its own, and what the framework does with one. */
    customConverters?: readonly CustomConverterModel[];
  };
  /**
   * Annotations of values that hold no free text (`int`, `uuid.UUID`, `pydantic.UUID4`): a framework
   * that validates a route parameter against one rejects anything else.
   */
  nonTextTypes?: readonly string[];
  /** Guards that let only administrators reach a handler. */
  adminGuards?: AdminGuardModel;
  /** Base classes whose subclasses hold one of a fixed set of values (`enum.Enum`). */
  enumBases?: readonly string[];
  /**
   * Base classes of database models: a parameter annotated with one holds a record read from
   * storage (a converter or the caller looked it up), not the client's text.
   */
  recordBases?: readonly string[];
  /**
   * Base classes of forms and serializers bound to a model (`class Meta: model = Watch; fields =
   * [...]`): `save()` writes the listed fields of the model from the data the form was made with.
   */
  recordForms?: readonly string[];
  /**
   * How a bound form or serializer vouches for a field of its own (a method checks it, or its
   * `Meta` keeps it off the data it saves): methods named by one of `methodPrefixes` and the field
   * (`clean_url`, `validate_url`), and the `Meta` lists of fields named by `readOnlyMeta`
   * (`read_only_fields`).
   */
  recordFormChecks?: readonly { methodPrefixes?: readonly string[]; readOnlyMeta?: readonly string[] }[];
  /**
   * Class-based views that save a bound form or serializer made from the request's data with no
   * code of the project's (a `ModelViewSet`'s create and update, a `CreateView`): subclasses of
   * `bases` name the form or serializer class by `attribute` (`serializer_class`), or else the
   * model and the fields its generated form holds by `model` and `fields`.
   */
  recordViews?: readonly { bases: readonly string[]; attribute: string }[];
  /**
   * How the routes of an application or router send what they return. Routes of the objects
   * `constructors` make (`flask.Flask`, `fastapi.APIRouter`) send a returned string as
   * `returnedText`, unless a response class named by one of `responseClassKeywords` (on the
   * route's decorator, or on the constructor for all its routes) has another media type. A module
   * that imports one of `imports` holds such routes when its router is defined elsewhere.
   */
  routeReturns?: {
    constructors: readonly string[];
    returnedText: string;
    responseClassKeywords?: readonly string[];
    imports: readonly string[];
  };
  /**
   * Calls that return a URL of the application itself, a path on its own host (`url_for`,
   * `reverse`); `.name` for a method of any receiver (`.get_absolute_url`). Their result is safe
   * as a redirect target, and so is a URL that starts with one and goes on with a path or query.
   */
  internalUrls?: readonly string[];
  /**
   * Functions, by name wherever the project defines them, that join the pieces of a URL path with
   * one slash between each two, trimming the pieces' own slashes (Jupyter's `url_path_join(base,
   * "files", name)`): the result is built from the pieces in that order (see UrlPrefix).
   */
  urlPathJoins?: readonly string[];
  /**
   * Class methods a library base class gives its subclasses that return the (one) instance of the
   * class they are called on: traitlets' `HubAuth.instance()` is a `HubAuth`.
   */
  singletonAccessors?: readonly { bases: readonly string[]; method: string }[];
  /**
   * Calls that split a URL into parts: a check of the result's `netloc` or `hostname` (empty,
   * equal to a known host, in an allow-list) proves where the URL leads.
   */
  urlParsers?: readonly string[];
  /**
   * A template engine used directly: objects its `constructors` make render text with
   * `renderMethods`, escaping values only when `autoescapeKeyword` is true (or by default).
   */
  templateEngine?: {
    constructors: readonly string[];
    renderMethods: readonly string[];
    autoescapeKeyword: string;
    escapesByDefault: boolean;
  };
  /** Functions the framework calls with outside data (see CallbackModel). */
  callbacks?: readonly CallbackModel[];
  /** Parameters of an entry point that hold the client's request object (`def view(request)`). */
  requestParameterNames?: readonly string[];
  /** Classes of request objects: a parameter annotated with one holds the client's request. */
  requestTypes?: readonly string[];
  /**
   * Library classes whose instances handle one request (Tornado's `RequestHandler`): in a method
   * of a subclass, `self` is the request object, and the HTTP methods' parameters are the path's.
   */
  requestHandlerClasses?: readonly string[];
  /**
   * Methods of subclasses of library classes that the framework calls with the client's data, by
   * their position after `self` (or `cls`): a Twisted resource's `render_GET(self, request)` takes
   * the request, its `getChild(self, path, request)` the next segment of the URL's path; a Tornado
   * static file handler's `validate_absolute_path(self, root, absolute_path)` the path the URL names.
   */
  handlerMethodParameters?: readonly HandlerMethodParameters[];
  /**
   * Servlet layers built on the framework that register a class's `on_GET(self, request, ...)`
   * methods (the prefix and an HTTP method in capitals) for the regular expressions the class
   * assigns to `patternAttribute` (`PATTERNS = client_patterns("/rooms/(?P<room_id>[^/]*)")`): the
   * parameters after the request hold the path's groups, which the layer URL-decodes.
   */
  patternServlets?: readonly { methodPrefix: string; patternAttribute: string }[];
  /** Attributes of such a handler instance that read the client's request (`get_argument`). */
  requestHandlerAttributes?: readonly string[];
  /**
   * Names of the parameter by which a class method or static method of a request handler class
   * takes the handler of the request at hand (`def get_user(cls, handler)`, called as
   * `self.login_handler.get_user(self)`): it is such a handler, whose requests attributes read the
   * client's request.
   */
  requestHandlerParameterNames?: readonly string[];
  /** Attributes of a request object that are another request object (a handler's `request`). */
  nestedRequestAttributes?: readonly string[];
  /**
   * Attributes of such a nested request that hold the path the handler's route matched (Tornado's
   * `request.path`, `request.uri`): no open-redirect target (`OWN_URL`) unless a route of the
   * handler may match a path that begins with `//` (`dataflow/tornado-routes.ts`).
   */
  routedPathAttributes?: readonly string[];
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
  environEntryPoints?: readonly EnvironEntryPoint[];
  /**
   * Packages whose import shows a module's views take the URL's parameters after the request
   * (`def view(request, id)`).
   */
  urlParametersAfterRequestImports?: readonly string[];
  /**
   * Functions the framework runs before each view of an application or blueprint, known by their
   * decorators (`.name`, a method of the object whose route decorators the views carry:
   * `@bp.url_value_preprocessor` for `@bp.route`). With `valuesParameter`, that parameter gets the
   * URL's values as a mapping whose entries become the view's keyword arguments (Flask's
   * `url_value_preprocessor`): it is a callback whose source is that mapping, and a view parameter
   * that such a function sets by a constant key (`values["ctx"] = context()`) and the route's
   * pattern does not name holds the application's value. Without it, the function takes no
   * arguments (`before_request`). In the view's entry point they run first, in the same module,
   * so what they store on request-scoped objects (`g`) and in the mapping reaches the view.
   */
  viewPreludes?: readonly { decorators: readonly string[]; valuesParameter?: number }[];
  /**
   * Objects that hold attributes for the current request only (`flask.g`): each entry point gets a
   * fresh one, so what the view, or a function the framework runs before it, stores there
   * (`g.lang = values.pop("lang")`) is what the view reads back.
   */
  requestGlobals?: readonly string[];
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
  /** The template engines the library makes, and the setting that turns their HTML escaping on. */
  templateEngines?: readonly TemplateEngineSetting[];
  /** How the library's TLS certificate checks are switched off. */
  tls?: TlsModel;
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
  return call.argument(sinkPosition(sink), ...(sink.keywords ?? []));
}

/** The position of a sink's dangerous argument: its first modelled one (-1: by keyword only; default the first). */
export function sinkPosition(sink: { args?: readonly number[] }): number {
  return sink.args ? (sink.args[0] ?? -1) : 0;
}

/** Sources of one concept and kind, from lists of attributes and calls. */
export function sources(
  concept: SourceConcept,
  kind: RequestInputKind | undefined,
  names: {
    attributes?: readonly string[];
    calls?: readonly string[];
    methods?: readonly string[];
    notFor?: SanitizedCwes;
  },
): (SourceModel & { concept: SourceConcept })[] {
  const k = kind ? { kind } : {};
  if (names.notFor) Object.assign(k, { notFor: names.notFor });
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
  notFor?: SanitizedCwes,
): (SourceModel & { concept: SourceConcept })[] {
  return names.map((requestAttribute) => ({
    concept: 'http-request-input',
    kind,
    requestAttribute,
    ...(notFor ? { notFor } : {}),
  }));
}

/** The request's own path and URL: the application routed it here, so a redirect to it stays on the site. */
export const OWN_URL: SanitizedCwes = [601];

/** Sanitizers of the same CWEs. */
export function sanitizers(
  cwe: SanitizedCwes,
  calls: readonly string[],
): (SanitizerModel & { cwe: SanitizedCwes })[] {
  return calls.map((call) => ({ call, cwe }));
}
