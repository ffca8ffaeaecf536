import { defineModel, sanitizers, sources } from '../concepts.js';
import { INJECTION_CWES } from '../../../../dataflow/concepts.js';

/** Methods of `str` that say something about the text without carrying it. */
const STR_TESTS = ['isdigit', 'isnumeric', 'isdecimal', 'isalpha', 'isalnum', 'isidentifier'];

/** os.exec* and os.spawn*: with a list or vector of arguments, the environment, a PATH search. */
const EXEC_SUFFIXES = ['l', 'le', 'lp', 'lpe', 'v', 've', 'vp', 'vpe'];

/** urllib's modules under their Python 3, Python 2 and six names. */
const URLLIB_MODULES = ['urllib.request', 'urllib2', 'urllib', 'six.moves.urllib.request'];
/** urllib's classes and factories whose objects open a URL of any scheme. */
const URL_OPENERS = ['URLopener', 'FancyURLopener', 'build_opener', 'OpenerDirector'];
/** The names the dataflow rule (ssrf) traces; the others are for structural checks. */
const TRACED_URLLIB = new Set([
  'urllib.request.urlopen',
  'urllib.request.Request',
  'urllib.request.urlretrieve',
  'urllib2.urlopen',
]);
const urllib = (names: readonly string[], traced: boolean): string[] =>
  URLLIB_MODULES.flatMap((m) => names.map((n) => `${m}.${n}`)).filter((c) => TRACED_URLLIB.has(c) === traced);

/** The Python standard library (and the Python 2 names still met in old code). */
export default defineModel({
  name: 'stdlib',
  sources: [
    ...sources('local-user-input', undefined, {
      attributes: ['sys.argv'],
      calls: ['builtins.input', 'raw_input', 'getpass.getpass'],
    }),
    ...sources('environment-variable', undefined, {
      attributes: ['os.environ'],
      calls: ['os.getenv', 'os.environ.get', 'os.getenvb', 'os.environ.__getitem__'],
    }),
    ...sources('file-read', undefined, {
      calls: [
        'builtins.open().read',
        'builtins.open().readline',
        'builtins.open().readlines',
        'pathlib.Path().read_text',
        'pathlib.Path().read_bytes',
        'io.open().read',
      ],
    }),
    ...sources('socket-read', undefined, {
      calls: [
        'socket.socket().recv',
        'socket.socket().recvfrom',
        'socket.socket().makefile',
        'socket.socket().accept',
      ],
      methods: ['recv', 'recvfrom', 'recv_into'],
    }),
  ],
  sinks: [
    {
      concept: 'command-execution',
      calls: [
        'os.system',
        'os.popen',
        'subprocess.getoutput',
        'subprocess.getstatusoutput',
        'commands.getoutput',
        'commands.getstatusoutput',
        'asyncio.create_subprocess_shell',
      ],
      keywords: ['command', 'cmd'],
      shell: 'always',
    },
    {
      // Python 2's pipes to and from a shell command.
      concept: 'command-execution',
      calls: ['os.popen2', 'os.popen3', 'os.popen4'],
      keywords: ['cmd'],
      shell: 'always',
      untraced: true,
    },
    {
      concept: 'command-execution',
      calls: [
        'subprocess.run',
        'subprocess.call',
        'subprocess.check_call',
        'subprocess.check_output',
        'subprocess.Popen',
      ],
      keywords: ['args', 'cmd'],
      shell: { keyword: 'shell' },
      searchesPath: true,
    },
    {
      concept: 'command-execution',
      calls: [
        ...EXEC_SUFFIXES.filter((s) => !s.includes('p')).map((s) => `os.exec${s}`),
        ...EXEC_SUFFIXES.filter((s) => !s.includes('p')).map((s) => `os.spawn${s}`),
        'os.posix_spawn',
        // It runs its program through os.execlp, but is left to the other rules.
        'pty.spawn',
      ],
      keywords: ['command', 'cmd'],
      shell: 'never',
    },
    {
      concept: 'command-execution',
      calls: [
        ...EXEC_SUFFIXES.filter((s) => s.includes('p')).map((s) => `os.exec${s}`),
        'os.posix_spawnp',
        'asyncio.create_subprocess_exec',
      ],
      keywords: ['command', 'cmd'],
      shell: 'never',
      searchesPath: true,
    },
    {
      // The mode comes first, then the program.
      concept: 'command-execution',
      calls: EXEC_SUFFIXES.filter((s) => s.includes('p')).map((s) => `os.spawn${s}`),
      keywords: ['command', 'cmd'],
      shell: 'never',
      searchesPath: true,
      programArg: 1,
    },
    ...(['eval', 'exec', 'compile'] as const).map((mode) => ({
      concept: 'code-evaluation' as const,
      calls: [`builtins.${mode}`],
      keywords: ['source', 'expression'],
      mode,
    })),
    // These fail on a directory (see SinkBase.filesOnly).
    { concept: 'file-access', calls: ['builtins.open', 'io.open'], keywords: ['file'], filesOnly: true },
    { concept: 'file-access', calls: ['codecs.open'], keywords: ['filename'], filesOnly: true },
    { concept: 'file-access', calls: ['os.remove', 'os.unlink'], keywords: ['path'], filesOnly: true },
    {
      concept: 'file-access',
      calls: [
        'os.open',
        'os.rmdir',
        'os.mkdir',
        'os.listdir',
        'os.scandir',
        'os.chmod',
        'os.chown',
        'shutil.rmtree',
      ],
      keywords: ['path'],
    },
    {
      // Their first parameter is `name` or `src`, or takes no keyword.
      concept: 'file-access',
      calls: [
        'os.removedirs',
        'os.makedirs',
        'os.rename',
        'os.replace',
        'shutil.copy',
        'shutil.copy2',
        'shutil.copyfile',
        'shutil.copytree',
        'shutil.move',
      ],
      keywords: [],
    },
    {
      // A `pathlib` path only names a file (`Path(f.name).suffix` reads nothing); its methods that
      // read, write or remove the file use it.
      concept: 'file-access',
      calls: [
        ...['read_text', 'read_bytes', 'write_text', 'write_bytes', 'unlink', 'rmdir', 'touch'].map(
          (m) => `.${m}`,
        ),
        ...['open', 'mkdir', 'iterdir', 'rename', 'replace', 'symlink_to', 'chmod'].map(
          (m) => `pathlib.Path().${m}`,
        ),
      ],
      args: [],
      receiverValue: true,
    },
    {
      concept: 'file-access',
      calls: ['os.rename', 'os.replace', 'shutil.copy', 'shutil.copy2', 'shutil.copyfile', 'shutil.move'],
      args: [1],
      keywords: ['dst'],
      what: 'destination path',
    },
    {
      concept: 'outgoing-http-request',
      calls: urllib(['urlopen', 'urlretrieve'], true),
      keywords: ['url'],
      schemes: 'any',
    },
    {
      concept: 'outgoing-http-request',
      calls: urllib(['Request'], true),
      keywords: ['url'],
      schemes: 'any',
      sentLater: true,
    },
    {
      concept: 'outgoing-http-request',
      calls: urllib(['urlopen', 'urlretrieve'], false),
      keywords: ['url'],
      schemes: 'any',
      untraced: true,
    },
    {
      concept: 'outgoing-http-request',
      calls: urllib(['Request'], false),
      keywords: ['url'],
      schemes: 'any',
      sentLater: true,
      untraced: true,
    },
    {
      concept: 'outgoing-http-request',
      calls: urllib(
        URL_OPENERS.flatMap((o) => [`${o}().open`, `${o}().retrieve`]),
        false,
      ),
      keywords: ['fullurl'],
      schemes: 'any',
      untraced: true,
    },
    {
      concept: 'outgoing-http-request',
      calls: ['http.client.HTTPConnection', 'http.client.HTTPSConnection'],
      keywords: ['host'],
    },
    {
      concept: 'logging',
      calls: [
        ...['debug', 'info', 'warning', 'warn', 'error', 'critical', 'exception', 'fatal', 'log'].map(
          (l) => `logging.${l}`,
        ),
        // A method of that name on a receiver named like a logger (`log`, `self.logger`).
        ...['debug', 'info', 'warning', 'warn', 'error', 'critical', 'exception', 'fatal'].map(
          (l) => `.${l}`,
        ),
      ],
      args: [0, 1, 2, 3, 4, 5],
      receiver: /log[^.]*$/i,
      knownCallee: /^logging\./,
    },
    { concept: 'deserialization', calls: ['marshal.load', 'marshal.loads'], runsCode: 'always' },
    {
      concept: 'deserialization',
      calls: ['shelve.open'],
      what: 'shelf file',
      runsCode: 'always',
      how: 'unpickles every value it reads from the shelf',
      readsFile: true,
    },
    {
      // xml.sax's XMLReader.setFeature(feature, True).
      concept: 'xml-parsing',
      calls: ['.setFeature'],
      args: [],
      keywords: [],
      what: 'parser feature',
      entityFeatures: [
        'xml.sax.handler.feature_external_ges',
        'xml.sax.handler.feature_external_pes',
        'http://xml.org/sax/features/external-general-entities',
        'http://xml.org/sax/features/external-parameter-entities',
      ],
    },
    {
      // ElementTree's (and lxml's) ElementPath queries; `re.findall` shares the name.
      concept: 'xpath-query',
      calls: ['.findall', '.iterfind', '.findtext'],
      keywords: ['path'],
      notCallee: /^(re|regex)\./,
      // Unresolved receivers count when named like a document or an element (`pat.findall(text)` is
      // more often a compiled regular expression).
      receiver:
        /(^|[._])(root|tree|doc|document|dom|el|elem|element|node|xml|etree|et|parent|child|item|entry|channel|feed|svg|page|e)$/i,
      knownCallee: /^(xml|lxml|defusedxml)\./,
    },
  ],
  sanitizers: [
    ...sanitizers([78], ['shlex.quote', 'pipes.quote', 'shlex.join']),
    // A zone the system's time zone database holds: its key is one of the database's names.
    ...sanitizers(INJECTION_CWES, ['zoneinfo.ZoneInfo']),
    ...sanitizers([79, 113, 117], ['html.escape']),
    ...sanitizers([79, 643], ['xml.sax.saxutils.escape']),
    ...sanitizers([22], ['os.path.basename']),
    // An in-memory file: what it holds is its content, and a file API given it opens no path.
    ...sanitizers([22], ['io.BytesIO', 'io.StringIO']),
    // `urlencode` quotes every key and value with `quote_plus`.
    ...sanitizers(
      [113, 117, 79],
      ['urllib.parse.quote', 'urllib.parse.quote_plus', 'urllib.parse.urlencode'],
    ),
    ...sanitizers([117], ['json.dumps']),
    ...sanitizers([78, 643], ['re.escape']),
  ],
  urlParsers: ['urllib.parse.urlparse', 'urllib.parse.urlsplit', 'urlparse.urlparse', 'urlparse.urlsplit'],
  guards: [
    { call: 're.fullmatch', arg: 1 },
    { call: 're.match', arg: 1 },
    { call: 'builtins.isinstance', arg: 0 },
    // Proves the value is not an absolute path (used negated): the argument is the value itself.
    { call: 'os.path.isabs', arg: -1 },
    ...[...STR_TESTS, 'fullmatch'].map((method) => ({ method })),
  ],
  summaries: {
    cleanCalls: [
      ...[
        'len',
        'int',
        'float',
        'bool',
        'hash',
        'id',
        'isinstance',
        'issubclass',
        'callable',
        'hasattr',
        'abs',
        'round',
        'ord',
        'type',
        'print',
        'range',
        'any',
        'all',
        'divmod',
      ].map((b) => `builtins.${b}`),
      'uuid.UUID',
      'uuid.uuid4',
      'uuid.uuid1',
      ...['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'blake2b', 'blake2s', 'new'].map(
        (h) => `hashlib.${h}`,
      ),
      'hmac.new',
      'hmac.compare_digest',
      'secrets.token_hex',
      'secrets.token_urlsafe',
      'secrets.compare_digest',
      'os.path.exists',
      'os.path.isfile',
      'os.path.isdir',
      'os.path.getsize',
      // A stat result: sizes, times, modes and ids of the file, not its name.
      'os.stat',
      'os.lstat',
      'os.getpid',
      'time.time',
      'datetime.datetime.now',
      // A date parsed from text holds numbers, not the text (`strptime` rejects what its format does not match).
      'datetime.datetime.strptime',
      'datetime.datetime.fromisoformat',
      'datetime.date.fromisoformat',
      'time.strptime',
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
    ],
    cleanMethods: [
      ...STR_TESTS,
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
    ],
    externalData: [
      'subprocess.check_output',
      'subprocess.run',
      'subprocess.getoutput',
      'subprocess.getstatusoutput',
      'subprocess.Popen',
      'os.popen',
      'urllib.request.urlopen',
      'urllib2.urlopen',
    ],
    nonCalling: [
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
    ],
    nonCallingModules: ['inspect.', 'typing.', 'dataclasses.'],
    propertyDecorators: ['functools.cached_property'],
  },
  // The command line, the terminal, the environment and sockets.
  tls: {
    requirementKeyword: 'cert_reqs',
    unverifiedContexts: ['ssl._create_unverified_context', 'ssl._create_stdlib_context'],
    uncheckedByDefault: ['ssl.wrap_socket'],
  },
  sourceHints: ['argv', 'input\\s*\\(', 'getenv', 'recv', 'stdin'],
  // `input(`, `open(`: named without their package.
  unhintedSourcePackages: ['builtins'],
  // Bytes of the request decoded to text.
  requestMethods: ['decode'],
  // Values a validating framework parses out of the text: numbers, flags, UUIDs, dates, addresses.
  nonTextTypes: [
    ...['int', 'float', 'bool', 'complex'].map((t) => `builtins.${t}`),
    'uuid.UUID',
    'decimal.Decimal',
    'fractions.Fraction',
    ...['date', 'datetime', 'time', 'timedelta'].map((t) => `datetime.${t}`),
    ...['IPv4Address', 'IPv6Address', 'IPv4Network', 'IPv6Network'].map((t) => `ipaddress.${t}`),
  ],
  enumBases: ['enum.Enum', 'enum.IntEnum', 'enum.StrEnum', 'enum.IntFlag', 'enum.Flag'],
});
