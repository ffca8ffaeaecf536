/**
 * Sinks of Node libraries as data: the calls (canonical callee, or `.method` on a receiver the
 * model names) whose argument at `args` becomes dangerous for a concept, and when a call is safe
 * whatever it receives (`unless`).
 */
import { SINK_CONCEPTS, type SinkConcept } from '../../../dataflow/concepts.js';
import type { TracedSink } from '../../../dataflow/sinks.js';
import type { JsCall, JsModule } from '../semantic/model.js';
import type { Node } from '../../../parsing/parser.js';
import { objectLiteral, optionAt } from '../helpers/objects.js';
import { unwrap } from '../semantic/scope.js';

export interface JsSink extends TracedSink {
  readonly concept: SinkConcept;
  /** Canonical callees (`child_process.exec`), or `.method` with `receiver`. */
  readonly calls: readonly string[];
  /** For `.method` patterns: the receiver's canonical name or written text must match. */
  readonly receiver?: RegExp;
  /** Positions of the dangerous arguments (default the first). */
  readonly args?: readonly number[];
  /** The call is safe as written (no shell asked for). */
  readonly unless?: (call: JsCall, module: JsModule) => boolean;
  /** Properties whose assignment is the sink (`el.innerHTML = x`): the assigned value. */
  readonly assigns?: readonly string[];
  /**
   * A JSX attribute whose object value's key is the sink (`dangerouslySetInnerHTML={{ __html: x }}`),
   * or, without `key`, whose value is (`<a href={x}>`), on the elements named when `elements` is given.
   */
  readonly jsx?: { readonly attribute: string; readonly key?: string; readonly elements?: readonly string[] };
  /** An argument that cannot carry the danger as written (an object a logger prints escaped). */
  readonly skipArg?: (arg: Node, module: JsModule) => boolean;
  /** The dangerous argument expressions, when they are parts of arguments (`spawn('sh', ['-c', x])`'s `x`). */
  readonly parts?: (call: JsCall, module: JsModule) => readonly Node[];
  /** The weakness a trace is asked about when it is not the rule's (a URL: CWE-601's constant prefixes). */
  readonly traceCwe?: number;
}

/** `spawn`-like calls run a shell only when their options (at any position after the program) say `shell: true`. */
function noShell(call: JsCall, module: JsModule): boolean {
  return !call.args.slice(1).some((a) => {
    const p = optionAt(a, ['shell'], module);
    return p !== undefined && module.constantValue(p.value) !== false;
  });
}

/** A shell a program argument names (`sh`, `/bin/bash`, `cmd.exe`), and the flag after which its script follows. */
const SHELL_PROGRAM = /^(?:.*\/)?(sh|bash|dash|zsh|ksh|ash|fish|cmd(\.exe)?|powershell(\.exe)?|pwsh)$/i;
const SCRIPT_FLAG = /^(-c|-lc|-ic|\/c|\/k|-command|-Command)$/;

/**
 * The script of a shell run as the program (`spawn('sh', ['-c', script])`, `execFile('bash', ['-lc',
 * script])`): the item after the flag in an argument array written in place; the items after it are
 * the script's own arguments (`$0`, `$1`), not shell syntax.
 */
function shellScript(call: JsCall, module: JsModule): readonly Node[] {
  const program = call.args[0] ? module.constantString(call.args[0]) : undefined;
  const list = call.args[1] && unwrap(call.args[1]);
  if (program === undefined || !SHELL_PROGRAM.test(program) || list?.type !== 'array') return [];
  const items = list.namedChildren.filter((c) => c.type !== 'comment');
  const flag = items.findIndex((i) => SCRIPT_FLAG.test(module.constantString(i) ?? ''));
  return flag >= 0 && items[flag + 1] ? [items[flag + 1]] : [];
}

/** Every argument of a logging call (`console.log(a, b, c)`). */
const ALL_ARGS = [0, 1, 2, 3, 4, 5, 6, 7];

/** A request's containers, whole: an object, which Node's console and util.format print with `util.inspect`. */
const REQUEST_CONTAINER =
  /^(req|request|ctx|ctx\.request|context)(\.(body|query|params|headers|cookies|signedCookies))?$/;

/**
 * An argument a text logger prints with `util.inspect`, which escapes the line breaks of the strings
 * inside: an object written in place, or a request's container (`req.body`), directly or through a
 * name bound to it once.
 */
function printedAsObject(arg: Node, module: JsModule): boolean {
  let n = unwrap(arg);
  if (n.type === 'identifier') n = unwrap(module.singleValue(n) ?? n);
  return n.type === 'object' || n.type === 'array' || REQUEST_CONTAINER.test(n.text.replace(/\s+/g, ''));
}

/** Logger methods of the text loggers. */
const LOG_METHODS = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'log',
  'mark',
  'verbose',
  'silly',
  'http',
];

/**
 * A winston logger writes JSON by default (line breaks escaped); it writes text lines when the
 * `format` of its `createLogger` call (in this module) holds `simple()`, `printf(...)` or `cli()`.
 */
function winstonJson(call: JsCall, module: JsModule): boolean {
  const receiver = call.receiver && unwrap(call.receiver);
  const made = receiver?.type === 'identifier' ? module.singleValue(receiver) : receiver;
  const created = made && unwrap(made);
  if (created?.type !== 'call_expression') return true;
  const options = created.childForFieldName('arguments')?.namedChildren[0];
  const format =
    options && objectLiteral(options, module) ? optionAt(options, ['format'], module) : undefined;
  return !format || !/\b(simple|printf|cli)\s*\(/.test(format.value.text);
}

/** `fs.appendFile('server.log', line)`: a file whose name says it is a log. */
function notALogFile(call: JsCall, module: JsModule): boolean {
  const path = call.args[0] && module.constantString(call.args[0]);
  return path === undefined || !/\.log$/i.test(path);
}

/** Database objects of drivers and ORMs by canonical name (`better-sqlite3()` of `new Database(file)`). */
const DRIVER_OBJECT =
  /^(better-sqlite3|sqlite3(\.verbose\(\))?\.(Database|cached\.Database)|sqlite\.open|typeorm\.(DataSource|createConnection|getConnection|getManager|getRepository)|mysql2?(\/promise)?\.create(Connection|Pool)|pg\.(Client|Pool))\(\)(\.(manager|createQueryRunner\(\)|getRepository\(\)|getMongoRepository\(\)))?$/;

/** A word every SQL statement holds. */
const SQL_WORD =
  /\b(select|insert|update|delete|replace|merge|upsert|create|drop|alter|truncate|with|values|set|where|from|into|call|exec|execute|pragma|begin|commit|rollback|grant|show|describe|explain|vacuum|analyze|lock|declare)\b/i;

/**
 * Text built in place (a template or a concatenation, directly or through a name bound once) that
 * begins with constant text and whose constant parts hold no SQL word: a key (`` `invitation:${id}` ``)
 * handed to a key-value store's `get`, not a statement. Text that begins with a value stays a
 * possible statement.
 */
function notSqlText(arg: Node, module: JsModule): boolean {
  let n = unwrap(arg);
  if (n.type === 'identifier') n = unwrap(module.singleValue(n) ?? n);
  const parts: Node[] = [];
  const flatten = (e: Node): void => {
    const u = unwrap(e);
    if (u.type === 'binary_expression' && u.childForFieldName('operator')?.text === '+') {
      const [l, r] = [u.childForFieldName('left'), u.childForFieldName('right')];
      if (l) flatten(l);
      if (r) flatten(r);
    } else parts.push(u);
  };
  let constant: string[];
  if (n.type === 'template_string') {
    const first = n.namedChildren[0];
    if (first?.type !== 'string_fragment') return false;
    constant = n.namedChildren.filter((c) => c.type === 'string_fragment').map((c) => c.text);
  } else if (n.type === 'binary_expression') {
    flatten(n);
    if (parts[0]?.type !== 'string') return false;
    constant = parts.filter((p) => p.type === 'string').map((p) => p.text.slice(1, -1));
  } else return false;
  return constant.join(' ').trim().length > 0 && !SQL_WORD.test(constant.join(' '));
}

const what = (concept: SinkConcept): { concept: SinkConcept; what: string } => ({
  concept,
  what: SINK_CONCEPTS[concept],
});

const cp = (names: string[]): string[] => names.map((n) => `child_process.${n}`);

export const SINKS: readonly JsSink[] = [
  {
    // Text loggers: Node's console, debug, log4js's default layout. pino and bunyan write JSON.
    ...what('logging'),
    calls: [
      ...['log', 'info', 'warn', 'error', 'debug', 'trace'].map((m) => `console.${m}`),
      'debug()',
      ...LOG_METHODS.map((m) => `log4js.getLogger().${m}`),
    ],
    args: ALL_ARGS,
    skipArg: printedAsObject,
  },
  {
    ...what('logging'),
    calls: LOG_METHODS.map((m) => `winston.createLogger().${m}`),
    args: ALL_ARGS,
    unless: winstonJson,
    skipArg: printedAsObject,
  },
  {
    ...what('logging'),
    calls: ['fs.appendFile', 'fs.appendFileSync', 'fs/promises.appendFile'],
    args: [1],
    unless: notALogFile,
  },
  { ...what('command-execution'), calls: [...cp(['exec', 'execSync']), 'shelljs.exec'] },
  {
    // With `shell: true` the program and its arguments are joined into one shell command line.
    ...what('command-execution'),
    calls: cp(['spawn', 'spawnSync', 'execFile', 'execFileSync']),
    args: [0, 1],
    unless: noShell,
  },
  {
    ...what('command-execution'),
    calls: cp(['spawn', 'spawnSync', 'execFile', 'execFileSync']),
    parts: shellScript,
  },
  {
    ...what('code-evaluation'),
    calls: [
      'eval',
      'Function',
      'vm.runInNewContext',
      'vm.runInThisContext',
      'vm.runInContext',
      'vm.Script',
      'vm.compileFunction',
    ],
    // `new Function(a, b, body)`: every argument is code.
    args: [0, 1, 2, 3],
  },
  {
    ...what('code-evaluation'),
    calls: ['setTimeout', 'setInterval', 'setImmediate'],
    // A function argument is not code text; only a string is compiled.
    unless: (call) => !!call.args[0] && /function|arrow_function|identifier/.test(call.args[0].type),
  },
  {
    ...what('sql-execution'),
    calls: ['.query', '.execute', '.run', '.all', '.get', '.exec', '.prepare', '.each'],
    // Drivers' connections, pools and databases, as the code names them.
    receiver:
      /(^|\.)(db|database|conn|connection|client|pool|sql|mysql|pg|sqlite|sequelize|knex|orm|dataSource|manager|entityManager|pgClient|sqlite3)$/i,
    // `db.get(`user:${id}`)` on a key-value store is no statement.
    skipArg: notSqlText,
  },
  {
    ...what('sql-execution'),
    calls: ['.query', '.execute', '.run', '.all', '.get', '.exec', '.prepare', '.each'],
    // The same by what the receiver is, whatever the code names it: a better-sqlite3 or sqlite3
    // database, a TypeORM data source, its entity manager, a query runner or a repository.
    receiver: DRIVER_OBJECT,
    skipArg: notSqlText,
  },
  {
    ...what('sql-execution'),
    // pg-promise's query methods: the first argument is the SQL text; values in the second are
    // formatted into `$1`/`${name}` placeholders by the library (parameterised, not a sink). `task`
    // and `tx` take a tag and a callback, not SQL, and are not sinks themselves: the callback's
    // task or transaction (`t`) is a receiver.
    calls: ['.any', '.none', '.one', '.many', '.oneOrNone', '.manyOrNone', '.result', '.map'],
    // A database or task as pg-promise code names it (`db`, `t`, `tx`, `this._client`).
    receiver: /(^|\.)_?(db|database|client|pgClient|t|tx|task)$/,
  },
  {
    ...what('sql-execution'),
    // pg-promise's `multi`: not on a `client`, which is as often Redis's (`client.multi(commands)`).
    calls: ['.multi', '.multiResult'],
    receiver: /(^|\.)_?(db|database|t|tx|task)$/,
  },
  { ...what('sql-execution'), calls: ['.raw', '.whereRaw', '.orderByRaw', '.havingRaw', '.joinRaw'] },
  { ...what('sql-execution'), calls: ['.$queryRawUnsafe', '.$executeRawUnsafe'] },
  {
    ...what('file-access'),
    calls: [
      'readFile',
      'readFileSync',
      'writeFile',
      'writeFileSync',
      'appendFile',
      'appendFileSync',
      'createReadStream',
      'createWriteStream',
      'unlink',
      'unlinkSync',
      'rm',
      'rmSync',
      'readdir',
      'readdirSync',
      'open',
      'openSync',
      'promises.readFile',
      'promises.writeFile',
    ].flatMap((n) => [`fs.${n}`, `fs/promises.${n.replace(/^promises\./, '')}`]),
  },
  {
    ...what('file-access'),
    // The module a new Node process runs: a path out of its folder runs another file of the server.
    calls: cp(['fork']),
  },
  {
    ...what('file-access'),
    calls: ['.sendFile', '.download'],
    receiver: /^(res|response|reply)$/,
    // `res.sendFile(name, { root })` keeps the file under the root.
    unless: (call, module) => call.args.slice(1).some((a) => optionAt(a, ['root'], module) !== undefined),
  },
  {
    ...what('file-access'),
    // Hapi's toolkit with inert: `h.file(path)` serves any file under the working directory
    // unless `confine` names the folder to keep to (`true` is the default, `false` none).
    calls: ['.file'],
    receiver: /^h$/,
    unless: (call, module) =>
      call.args.slice(1).some((a) => {
        const p = optionAt(a, ['confine'], module);
        return p !== undefined && typeof module.constantValue(p.value) !== 'boolean';
      }),
  },
  {
    ...what('redirect'),
    calls: ['.redirect'],
    // Express, Koa, Fastify, Hapi's toolkit (`h.redirect`).
    receiver: /^(res|response|ctx|reply|h)$/,
    // `res.redirect(301, url)`: the target is the last argument.
    args: [0, 1],
  },
  {
    ...what('redirect'),
    calls: [
      'next/navigation.redirect',
      'next/navigation.permanentRedirect',
      'next/server.NextResponse.redirect',
      'Response.redirect',
    ],
  },
  {
    // Template source compiled by an engine whose templates run JavaScript (EJS, Pug, lodash, doT)
    // or call helpers and reach prototypes (Handlebars); not the data a compiled template renders.
    ...what('template-compilation'),
    calls: [
      'ejs.render',
      'ejs.compile',
      'pug.render',
      'pug.compile',
      'jade.render',
      'jade.compile',
      'handlebars.compile',
      'handlebars.precompile',
      'nunjucks.renderString',
      'lodash.template',
      'lodash.template.template',
      'underscore.template',
      'dot.template',
      'dot.compile',
      'doT.template',
      'eta.render',
      'eta.compile',
    ],
  },
  {
    ...what('safe-html'),
    calls: ['handlebars.SafeString', 'handlebars.Utils.SafeString'],
  },
  {
    ...what('outgoing-http-request'),
    calls: [
      'fetch',
      'node-fetch',
      'got',
      'undici.request',
      'undici.fetch',
      'needle',
      ...['', '.get', '.post', '.put', '.delete', '.patch', '.head', '.request'].map((m) => `axios${m}`),
      ...['.get', '.post', '.put', '.delete', '.patch', '.head'].map((m) => `got${m}`),
      ...['http', 'https'].flatMap((m) => [`${m}.request`, `${m}.get`]),
    ],
    unless: filtersAddresses,
  },
];

/** Options of an HTTP client that set how it connects (undici's `dispatcher`, Node's `agent`, a DNS `lookup`). */
const CONNECTION_OPTIONS = ['dispatcher', 'agent', 'httpAgent', 'httpsAgent', 'lookup'];

/** A connection option whose value names an address filter (`getSafeDispatcher()`, `ssrfFilterAgent`). */
const ADDRESS_FILTER = /safe|ssrf|filter/i;

/**
 * A request made through a connection that filters the addresses it connects to (a dispatcher or
 * agent whose DNS lookup refuses private and loopback addresses, the usual defence against SSRF in
 * Node): the URL may name any host, but the connection goes to public ones only.
 */
function filtersAddresses(call: JsCall, module: JsModule): boolean {
  return call.args.slice(1).some((a) =>
    CONNECTION_OPTIONS.some((key) => {
      const p = optionAt(a, [key], module);
      return p !== undefined && ADDRESS_FILTER.test(p.value.text);
    }),
  );
}

/** Browser sinks: markup parsed into the page, and URLs where `javascript:` runs. */
export const BROWSER_SINKS: readonly JsSink[] = [
  { ...what('dom-html'), calls: [], assigns: ['innerHTML', 'outerHTML'] },
  { ...what('dom-html'), calls: ['document.write', 'document.writeln'] },
  { ...what('dom-html'), calls: ['.insertAdjacentHTML'], args: [1] },
  // jQuery's `$(el).html(x)`.
  {
    ...what('dom-html'),
    calls: ['.html', '.append', '.prepend', '.after', '.before'],
    receiver: /^(\$|jQuery)\(/,
  },
  { ...what('dom-html'), calls: [], jsx: { attribute: 'dangerouslySetInnerHTML', key: '__html' } },
  // A URL that a constant prefix does not fix may be `javascript:`.
  { ...what('dom-url'), calls: [], assigns: ['href'], traceCwe: 601 },
  { ...what('dom-url'), calls: ['location.assign', 'location.replace', 'window.open'], traceCwe: 601 },
  // React renders a URL attribute as given: `<a href={x}>` follows `javascript:`, a frame loads it.
  { ...what('dom-url'), calls: [], jsx: { attribute: 'href', elements: ['a', 'area'] }, traceCwe: 601 },
  { ...what('dom-url'), calls: [], jsx: { attribute: 'src', elements: ['iframe', 'frame'] }, traceCwe: 601 },
  { ...what('dom-url'), calls: [], jsx: { attribute: 'action', elements: ['form'] }, traceCwe: 601 },
  {
    ...what('dom-url'),
    calls: [],
    jsx: { attribute: 'formAction', elements: ['button', 'input'] },
    traceCwe: 601,
  },
];

/** The sinks of the concepts a rule picks. */
export function sinksOf(concepts: readonly SinkConcept[]): JsSink[] {
  return [...SINKS, ...BROWSER_SINKS].filter((s) => concepts.includes(s.concept));
}

/** A sink model's key, as wrappers' forwards name the models whose exclusion holds (ForwardedCall.safeFor). */
export function sinkKey(sink: JsSink): string {
  return `${sink.concept}:${sink.calls.join(',')}`;
}

/**
 * Whether a call is one of a sink's: by its canonical callee, or by its method name on a receiver
 * the model names (as written or by canonical name, see `receivers`).
 */
export function namesSink(
  sink: JsSink,
  callee: string | undefined,
  method: string | undefined,
  receivers: () => readonly string[],
): boolean {
  if (callee !== undefined && sink.calls.includes(callee)) return true;
  if (method === undefined || !sink.calls.includes(`.${method}`)) return false;
  return !sink.receiver || receivers().some((r) => sink.receiver!.test(r));
}
