/**
 * The concepts framework knowledge is organised by, in the spirit of CodeQL's Concepts: a model of
 * a library says which of its APIs are which concept, and a rule picks concepts instead of listing
 * APIs. The vocabulary is language-neutral; each language pack's models (src/lang/<id>/models/) give
 * the entries.
 */

/**
 * How far a source is trusted. `user` (a client's request) and `operator` (the command line and
 * prompts of whoever runs the program) are always sources; the config switches the lower levels on
 * (`taint.lower-trust-sources`). Rules about injection tell the operator from an attacker: see
 * `taint.operator-input`. `admin` is a client's request to a handler only administrators reach (a
 * route behind an administrator-only guard): a source like `user`, but its flows need administrator
 * privileges, so rules report them low unless `taint.admin-input` is `untrusted`.
 */
export type Trust = 'user' | 'admin' | 'operator' | 'environment' | 'files' | 'sockets';
/** The trust levels the config switches on. */
export type LowerTrust = Exclude<Trust, 'user' | 'admin' | 'operator'>;

/** Where untrusted data enters, and the trust level each concept's data counts as. */
export const SOURCE_CONCEPTS = {
  'http-request-input': 'user',
  'local-user-input': 'operator',
  'environment-variable': 'environment',
  'file-read': 'files',
  'socket-read': 'sockets',
} as const satisfies Record<string, Trust>;
export type SourceConcept = keyof typeof SOURCE_CONCEPTS;

/** Which part of an HTTP request a `http-request-input` source is. */
export type RequestInputKind =
  'parameters' | 'headers' | 'cookies' | 'body' | 'files' | 'path-parameters' | 'url' | 'environ' | 'request';

/** Where data becomes dangerous, with what the dangerous argument is, in a rule's words by default. */
export const SINK_CONCEPTS = {
  'command-execution': 'command',
  'remote-command-execution': 'remote command',
  'code-evaluation': 'code',
  'sql-execution': 'SQL text',
  'file-access': 'file path',
  'http-response-body': 'response body',
  'http-response-header': 'header value',
  /** An HTTP error the framework turns into a response whose body holds the argument (`abort(500, msg)`). */
  'http-error-response': 'error detail',
  redirect: 'redirect target',
  'template-rendering': 'template source',
  /** Text compiled as a template, whose expressions run in the server (`Template(text)`). */
  'template-compilation': 'template source',
  'safe-html': 'HTML marked safe',
  /** Markup a browser parses into the page (`el.innerHTML = x`, `document.write(x)`). */
  'dom-html': 'HTML markup',
  /** A URL a browser navigates to or follows, where `javascript:` runs (`location.href = x`). */
  'dom-url': 'URL',
  'cookie-setting': 'cookie value',
  deserialization: 'serialized data',
  'xml-parsing': 'XML document',
  'outgoing-http-request': 'URL',
  logging: 'log message',
  'ldap-query': 'LDAP filter',
  'xpath-query': 'XPath expression',
  'session-store': 'session value',
} as const;
export type SinkConcept = keyof typeof SINK_CONCEPTS;

/** A cookie attribute whose absence weakens a session or token cookie. */
export type CookieFlag = 'secure' | 'httponly' | 'samesite';

/**
 * What some concepts say about a sink beyond its argument: whether a command goes through a shell,
 * how a template escapes, which content type a response has.
 */
export interface SinkConceptAttributes {
  'command-execution': {
    /** `always` (os.system), `never` (os.execv), or only when the keyword is truthy (`shell=True`). */
    shell: 'always' | 'never' | { keyword: string };
    /** A program named without a directory is looked up in PATH (execvp), at `programArg` (default 0). */
    searchesPath?: boolean;
    programArg?: number;
  };
  'code-evaluation': {
    /** `eval` and `exec` run the text now (CWE-95); `compile` makes code that runs later (CWE-94). */
    mode: 'eval' | 'exec' | 'compile';
  };
  'sql-execution': {
    /**
     * `orm`: raw SQL inside an ORM query (Django's RawSQL, raw(), extra()); `driver`: a cursor's or
     * connection's execute; `statement`: SQL text wrapped into a statement object that runs later.
     */
    level: 'orm' | 'driver' | 'statement';
  };
  deserialization: {
    /**
     * `always`: loading calls whatever function the data names (pickle's opcode stream and kin);
     * `before-fix`: only in library versions before a fix; `by-option`: `option` decides.
     */
    runsCode: 'always' | 'before-fix' | 'by-option';
    /** What loading does, for messages; default: it calls any function the data names. */
    how?: string;
    /** The option that decides whether loading runs code (`runsCode: 'by-option'`). */
    option?: LoaderOption;
    /**
     * The argument names a file whose values are loaded (shelve): a constant name is no proof the
     * data is safe, and the file is most often the program's own store.
     */
    readsFile?: boolean;
  };
  'http-response-body': {
    /** The media type the response is sent with by default; '' when none is sent (browsers sniff it). */
    contentType: string;
    /** Arguments that set another media type (`mimetype=`, `content_type=`, `media_type=`). */
    contentTypeArguments?: readonly { arg?: number; keyword: string }[];
    /** Attributes of the response object that set it afterwards (`resp.mimetype = "text/plain"`). */
    contentTypeAttributes?: readonly string[];
    /** The argument of the response's headers, which may hold a `Content-Type`. */
    headersArgument?: { arg?: number; keyword: string };
    /**
     * Methods of the sink call's receiver that set a header by name and value (Twisted's
     * `request.setHeader(b"Content-Type", b"application/json")`): one in the same function decides.
     */
    headerSetters?: readonly string[];
  };
  'template-compilation': {
    /** A sandboxed engine (Jinja2's SandboxedEnvironment): template code cannot reach the server. */
    sandboxed?: boolean;
  };
  'template-rendering': {
    /** `none`: the argument is the template's own source, so it is not escaped as a value would be. */
    escaping: 'auto' | 'none';
  };
  'safe-html': {
    /** Escapes the later arguments it formats in (format_html), but not the format string itself. */
    escapesArguments?: boolean;
    /** Its result's `.format()` and `%` escape the values they format in (MarkupSafe's Markup). */
    escapesFormatting?: boolean;
  };
  'cookie-setting': {
    /** The positions of the protection flags when passed without their keyword. */
    flagPositions: { [F in CookieFlag]: number };
    /** Cookies get `SameSite=Lax` unless told otherwise, in modules that import one of these. */
    sameSiteLaxByDefaultWhenImported?: readonly string[];
  };
  'xml-parsing': {
    /** The parser resolves external entities unless told not to (lxml before 5.0). */
    resolvesEntitiesByDefault?: boolean;
    /** The keyword that switches entity resolution (a parser's constructor). */
    entitiesKeyword?: string;
    /** The position of the parser argument; without one the default parser is used. */
    parserArg?: number;
    /** The release of `package` from which the default no longer resolves external entities. */
    safeDefaultSince?: { package: string; version: string };
    /** Features (by qualified name or URI) that, switched on by this call, make the parser resolve external entities. */
    entityFeatures?: readonly string[];
  };
  'outgoing-http-request': {
    /** `any`: also opens `file://` and `ftp://` URLs (urllib), not only HTTP(S). */
    schemes?: 'http' | 'any';
    /** The call builds a request that an opener sends later (urllib's `Request`): its URL is the one opened. */
    sentLater?: boolean;
  };
}

/**
 * What a loader does with one value of its option: `safe` (it builds plain data), or it runs code,
 * `how` said for messages (`{value}` is the option as written) and `explicitly` when the program
 * asks for it by name.
 */
export type LoaderOutcome = 'safe' | { how: string; runsCode?: 'explicitly' | 'before-fix' };

/**
 * A loader's option that decides whether it runs code the data names (PyYAML's `Loader`, NumPy's
 * `allow_pickle`, PyTorch's `weights_only`). A value not covered (a variable, the program's own
 * loader class) is not judged.
 */
export interface LoaderOption {
  keyword: string;
  /** Its position when passed without the keyword. */
  arg?: number;
  /** The outcome when the option is left out. */
  missing: LoaderOutcome;
  /** When it is a constant true or false value. */
  whenTrue?: LoaderOutcome;
  whenFalse?: LoaderOutcome;
  /** When it names an attribute of `module` (`yaml.FullLoader`): by that name, else `other`. */
  named?: { module: string; outcomes: Readonly<Record<string, LoaderOutcome>>; other: LoaderOutcome };
}

/** The attributes of a sink of the concept, `{}` for concepts that have none. */
export type AttributesOf<C extends SinkConcept> = C extends keyof SinkConceptAttributes
  ? SinkConceptAttributes[C]
  : object;

/** Escaping and validation calls make data safe for some weaknesses (CWE ids), not for others. */
export type SanitizedCwes = readonly number[];

/**
 * The injection weaknesses: what a value the client could not choose freely is safe for (one the
 * application signed, once the signature is checked; a time zone the system knows).
 */
export const INJECTION_CWES: SanitizedCwes = [
  22, 73, 77, 78, 79, 89, 90, 94, 95, 113, 117, 501, 601, 643, 918, 1336,
];

export function isSinkConcept(name: string): name is SinkConcept {
  return Object.hasOwn(SINK_CONCEPTS, name);
}

export function isSourceConcept(name: string): name is SourceConcept {
  return Object.hasOwn(SOURCE_CONCEPTS, name);
}

/**
 * What a user may declare in the config's `taint:` section: plain data, the same for every
 * language. Each language pack reads these as entries of its own models.
 */
export interface DeclaredSource {
  /** A qualified call whose result is the input. */
  call?: string;
  /** A qualified attribute that holds the input. */
  attribute?: string;
  /** A function parameter of this name holds the input. */
  parameter?: string;
  /** How findings name the source (default: the call, attribute or parameter). */
  label?: string;
}

/** A qualified call whose result is safe for the listed CWEs (all when omitted). */
export interface DeclaredSanitizer {
  call: string;
  cwe?: SanitizedCwes;
}

/** A qualified call (or `.method`) whose argument at a position or keyword is a sink. */
export interface DeclaredSink {
  call: string;
  arg?: number;
  keyword?: string;
  /** The concept the call is; the rules that pick it check it. */
  concept?: SinkConcept;
  /** Without a concept: the CWE of the rules that check it. */
  cwe?: number;
  severity?: string;
}
