/**
 * What the taint engine knows about libraries: where untrusted data enters (sources), which calls
 * make it safe for some weaknesses (sanitizers), and which calls return data unrelated to their
 * arguments (known-clean). Sinks are not listed here: rules own them and ask the engine about the
 * values that reach their calls (see index.ts).
 */

export type Trust = 'user' | 'environment' | 'files' | 'sockets';

/** Qualified attribute chains whose value (and anything read from it) is user input. */
export const SOURCE_ATTRIBUTES: readonly string[] = [
  // Flask / Werkzeug
  'flask.request.args',
  'flask.request.form',
  'flask.request.values',
  'flask.request.json',
  'flask.request.cookies',
  'flask.request.headers',
  'flask.request.files',
  'flask.request.data',
  'flask.request.view_args',
  'flask.request.stream',
  'flask.request.url',
  'flask.request.base_url',
  'flask.request.full_path',
  'flask.request.path',
  'flask.request.query_string',
  'flask.request.referrer',
  'flask.request.user_agent',
  'flask.request.environ',
  'flask.request.authorization',
  // Bottle
  'bottle.request.query',
  'bottle.request.forms',
  'bottle.request.params',
  'bottle.request.json',
  'bottle.request.cookies',
  'bottle.request.headers',
  'bottle.request.files',
  // Command line
  'sys.argv',
];

/** Qualified calls whose result is user input. */
export const SOURCE_CALLS: readonly string[] = [
  'builtins.input',
  'raw_input',
  'flask.request.get_json',
  'flask.request.get_data',
  'flask.request.args.get',
  'flask.request.form.get',
  'flask.request.values.get',
  'flask.request.cookies.get',
  'flask.request.headers.get',
  'flask.request.args.getlist',
  'flask.request.form.getlist',
  'bottle.request.query.get',
  'bottle.request.forms.get',
  'bottle.request.params.get',
  'getpass.getpass',
];

/** Attributes of a framework request object (Django, Starlette, DRF, aiohttp) that hold user input. */
export const REQUEST_OBJECT_ATTRIBUTES = new Set([
  'GET',
  'POST',
  'body',
  'COOKIES',
  'META',
  'FILES',
  'headers',
  'data',
  'query_params',
  'path_params',
  'cookies',
  'args',
  'form',
  'values',
  'json',
  'get_json',
  'get_data',
  'query',
  'match_info',
  'path',
  'path_info',
  'url',
  'content',
  'text',
  'stream',
  'environ',
]);

/**
 * Keys of a CGI/WSGI environ whose values the client controls: request headers (HTTP_*), the
 * request line and body, and caches of the parsed request some frameworks keep there. Every other
 * constant key (SERVER_NAME, REMOTE_ADDR, wsgi.errors, a middleware's context object) is set by the
 * server or the application.
 */
const CLIENT_ENVIRON_KEYS = new Set([
  'QUERY_STRING',
  'PATH_INFO',
  'PATH_TRANSLATED',
  'SCRIPT_NAME',
  'REQUEST_URI',
  'RAW_URI',
  'REQUEST_METHOD',
  'SERVER_PROTOCOL',
  'CONTENT_TYPE',
  'CONTENT_LENGTH',
  'REMOTE_USER',
  'wsgi.input',
  'werkzeug.request',
  'webob._parsed_query_vars',
  'webob._parsed_post_vars',
  'webob._parsed_cookies',
  'paste.parsed_querystring',
  'paste.parsed_formvars',
  'paste.cookies',
]);

/** Whether the value of environ[key] may come from the client. */
export function isClientEnvironKey(key: string): boolean {
  return key.startsWith('HTTP_') || CLIENT_ENVIRON_KEYS.has(key);
}

const ENVIRON_ATTRIBUTES = new Set(['environ', 'META']);

/** Whether an attribute (`environ`) or qualified name (`flask.request.environ`) is a whole environ. */
export function isEnvironAttribute(name: string): boolean {
  return ENVIRON_ATTRIBUTES.has(name.slice(name.lastIndexOf('.') + 1));
}

/** Lower-trust sources, enabled by the `taint.lower-trust-sources` config section. */
export const LOWER_TRUST_ATTRIBUTES: Record<Exclude<Trust, 'user'>, readonly string[]> = {
  environment: ['os.environ'],
  files: [],
  sockets: [],
};
export const LOWER_TRUST_CALLS: Record<Exclude<Trust, 'user'>, readonly string[]> = {
  environment: ['os.getenv', 'os.environ.get', 'os.getenvb', 'os.environ.__getitem__'],
  files: [
    'builtins.open().read',
    'builtins.open().readline',
    'builtins.open().readlines',
    'pathlib.Path().read_text',
    'pathlib.Path().read_bytes',
    'io.open().read',
  ],
  sockets: [
    'socket.socket().recv',
    'socket.socket().recvfrom',
    'socket.socket().makefile',
    'socket.socket().accept',
  ],
};
/** Method names that read from a file or socket object, for receivers whose type is not tracked. */
export const LOWER_TRUST_METHODS: Record<'files' | 'sockets', readonly string[]> = {
  files: [],
  sockets: ['recv', 'recvfrom', 'recv_into'],
};

/** Decorators whose function's parameters are filled from the request (route and path parameters). */
export const ROUTE_DECORATOR =
  /\.(route|get|post|put|patch|delete|head|options|websocket|api_route|view|endpoint)$/;

/** Calls that return a value unrelated to the data of their arguments (counts, booleans, hashes). */
export const CLEAN_CALLS = new Set([
  'builtins.len',
  'builtins.int',
  'builtins.float',
  'builtins.bool',
  'builtins.hash',
  'builtins.id',
  'builtins.isinstance',
  'builtins.issubclass',
  'builtins.callable',
  'builtins.hasattr',
  'builtins.abs',
  'builtins.round',
  'builtins.ord',
  'builtins.type',
  'builtins.print',
  'builtins.range',
  'builtins.any',
  'builtins.all',
  'builtins.divmod',
  'uuid.UUID',
  'uuid.uuid4',
  'uuid.uuid1',
  'hashlib.md5',
  'hashlib.sha1',
  'hashlib.sha224',
  'hashlib.sha256',
  'hashlib.sha384',
  'hashlib.sha512',
  'hashlib.blake2b',
  'hashlib.blake2s',
  'hashlib.new',
  'hmac.new',
  'hmac.compare_digest',
  'secrets.token_hex',
  'secrets.token_urlsafe',
  'secrets.compare_digest',
  'os.path.exists',
  'os.path.isfile',
  'os.path.isdir',
  'os.path.getsize',
  'os.getpid',
  'time.time',
  'datetime.datetime.now',
  'random.random',
  'random.randint',
  'zlib.crc32',
  'logging.getLogger',
  'os.system',
  'subprocess.call',
  'subprocess.check_call',
  'os.remove',
  'os.unlink',
  'os.mkdir',
  'os.makedirs',
  're.compile',
  'time.sleep',
]);

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream'];

/**
 * Calls whose result is data from another system (a process's output, an HTTP response, a socket):
 * what comes back was not written by whoever chose the arguments, so it does not carry their taint.
 * (The config's lower-trust sources still apply to reads from files and sockets.)
 */
export const EXTERNAL_DATA_CALLS = new Set([
  'subprocess.check_output',
  'subprocess.run',
  'subprocess.getoutput',
  'subprocess.getstatusoutput',
  'subprocess.Popen',
  'os.popen',
  'urllib.request.urlopen',
  'urllib2.urlopen',
  'urllib3.PoolManager().request',
  'urllib3.request',
  ...[
    'requests',
    'requests.Session()',
    'requests.session()',
    'httpx',
    'httpx.Client()',
    'httpx.AsyncClient()',
  ].flatMap((m) => HTTP_VERBS.map((v) => `${m}.${v}`)),
  ...HTTP_VERBS.map((v) => `aiohttp.ClientSession().${v}`),
]);

/**
 * Library calls that take a function without calling it: they copy its metadata, wrap or register
 * it for later, or inspect it. The function runs when its caller calls it, with that caller's data;
 * running it here, with no data, finds nothing (on nova, `functools.wraps(f)` alone ran each
 * decorated API method once more: 40% of the dataflow pass).
 */
export const NON_CALLING_CALLS = new Set([
  'functools.wraps',
  'functools.wraps()',
  'functools.update_wrapper',
  'functools.lru_cache',
  'functools.lru_cache()',
  'functools.cache',
  'functools.cached_property',
  'functools.singledispatch',
  'functools.singledispatchmethod',
  'functools.total_ordering',
  'builtins.property',
  'builtins.classmethod',
  'builtins.staticmethod',
  'builtins.callable',
  'builtins.getattr',
  'builtins.setattr',
  'abc.abstractmethod',
  'contextlib.contextmanager',
  'contextlib.asynccontextmanager',
]);

/** Modules whose functions only inspect the functions they are given (`inspect.signature(f)`). */
export const NON_CALLING_MODULES = ['inspect.', 'typing.', 'dataclasses.'];

/** Methods whose result says something about the data without carrying it. */
export const CLEAN_METHODS = new Set([
  'isdigit',
  'isnumeric',
  'isdecimal',
  'isalpha',
  'isalnum',
  'isidentifier',
  'isspace',
  'islower',
  'isupper',
  'startswith',
  'endswith',
  'count',
  'find',
  'rfind',
  'index',
  'rindex',
  'hexdigest',
  'digest',
  'exists',
  'is_file',
  'is_dir',
  'fetchone_count',
  '__len__',
]);

/** Sanitizers: the result is safe for the listed CWEs (the data still flows for others). */
export const SANITIZERS: Record<string, readonly number[]> = {
  'shlex.quote': [78],
  'pipes.quote': [78],
  'shlex.join': [78],
  'html.escape': [79, 113, 117],
  'cgi.escape': [79],
  'markupsafe.escape': [79],
  'flask.escape': [79],
  'jinja2.escape': [79],
  'django.utils.html.escape': [79],
  'django.utils.html.conditional_escape': [79],
  'bleach.clean': [79],
  'xml.sax.saxutils.escape': [79, 643],
  'os.path.basename': [22],
  'werkzeug.utils.secure_filename': [22],
  'werkzeug.secure_filename': [22],
  'django.utils.text.get_valid_filename': [22],
  'ldap.filter.escape_filter_chars': [90],
  'ldap3.utils.conv.escape_filter_chars': [90],
  'ldap.dn.escape_dn_chars': [90],
  'urllib.parse.quote': [113, 117, 79],
  'urllib.parse.quote_plus': [113, 117, 79],
  'json.dumps': [117],
  're.escape': [78, 643],
  'django.utils.http.url_has_allowed_host_and_scheme': [601],
  'sqlalchemy.text().bindparams': [89],
  'flask.url_for': [601, 918, 22, 79, 113],
  'django.urls.reverse': [601, 918, 22, 79, 113],
  'flask.render_template': [79],
  'django.shortcuts.render': [79],
  'flask.jsonify': [79],
};

/** Methods that produce a value safe for some CWEs whatever their receiver. */
export const SANITIZER_METHODS: Record<string, readonly number[]> = {};

/** Calls that prove the data (the argument at the given position) valid when used as a condition. */
export const CHECK_CALLS = new Map<string, number>([
  ['re.fullmatch', 1],
  ['re.match', 1],
  ['regex.fullmatch', 1],
  ['builtins.isinstance', 0],
  ['django.utils.http.url_has_allowed_host_and_scheme', 0],
  ['django.utils.http.is_safe_url', 0],
  ['os.path.isabs', -1],
]);
export const CHECK_METHODS = new Set([
  'isdigit',
  'isnumeric',
  'isdecimal',
  'isalpha',
  'isalnum',
  'isidentifier',
  'fullmatch',
]);

/** User-declared additions from the config file's `taint:` section. */
export interface TaintOptions {
  /** Extra sources: a qualified call or attribute, or a parameter name. */
  sources?: readonly { call?: string; attribute?: string; parameter?: string; label?: string }[];
  /** Extra sanitizers: a qualified call, safe for the listed CWEs (all when omitted). */
  sanitizers?: readonly { call: string; cwe?: readonly number[] }[];
  lowerTrust?: { environment?: boolean; files?: boolean; sockets?: boolean };
  /** Extra sinks: a qualified call (or `.method`), the argument position or keyword, and the CWE. */
  sinks?: readonly { call: string; arg?: number; keyword?: string; cwe: number; severity?: string }[];
}
