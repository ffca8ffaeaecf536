import { describe, expect, it } from 'vitest';
import { isSinkConcept, isSourceConcept } from '../../../src/dataflow/concepts.js';
import { parseConfig } from '../../../src/config/load.js';
import { taintOptions } from '../../../src/config/taint.js';
import { analyzeSource } from '../../../src/engine/analyze.js';
import type { FrameworkModel } from '../../../src/lang/python/models/concepts.js';
import {
  MODELS,
  REQUEST_DATA_METHODS,
  REQUEST_ENDING_CALLS,
  REQUEST_PARAMETER_NAMES,
  ROUTE_DECORATOR,
  ROUTE_TEXT,
  SANITIZERS,
  sinksOf,
  urlParametersFollowRequest,
} from '../../../src/lang/python/models/index.js';
import { allRules, findRule } from '../../../src/rules/registry.js';

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
/** `os.path.join`, `requests.Session().get`, `builtins.open().read`; or `.method`. */
const QUALIFIED = new RegExp(`^${IDENT}(\\(\\))?(\\.${IDENT}(\\(\\))?)*$`);
const METHOD = new RegExp(`^\\.${IDENT}$`);
const KEYWORD = new RegExp(`^${IDENT}$`);

/** Every problem of a model's entries, as "model: what is wrong". */
function problems(model: FrameworkModel): string[] {
  const out: string[] = [];
  const bad = (what: string): void => void out.push(`${model.name}: ${what}`);
  for (const s of model.sources ?? []) {
    if (!isSourceConcept(s.concept)) bad(`unknown source concept ${s.concept}`);
    const names = [s.call, s.attribute, s.method, s.requestAttribute].filter((n) => n !== undefined);
    if (names.length !== 1) bad(`source ${JSON.stringify(s)} names ${names.length} things`);
    if (s.call !== undefined && !QUALIFIED.test(s.call) && !KEYWORD.test(s.call))
      bad(`source call ${s.call}`);
    if (s.attribute !== undefined && !QUALIFIED.test(s.attribute)) bad(`source attribute ${s.attribute}`);
    for (const n of [s.method, s.requestAttribute]) if (n !== undefined && !KEYWORD.test(n)) bad(`name ${n}`);
  }
  for (const s of model.sinks ?? []) {
    if (!isSinkConcept(s.concept)) bad(`unknown sink concept ${String(s.concept)}`);
    if (!s.calls?.length && !s.stores?.length) bad(`a ${s.concept} sink with neither calls nor stores`);
    for (const c of s.calls ?? []) if (!QUALIFIED.test(c) && !METHOD.test(c)) bad(`sink call ${c}`);
    for (const a of s.args ?? []) if (!Number.isInteger(a) || a < 0) bad(`argument ${a} of ${s.calls?.[0]}`);
    for (const k of s.keywords ?? []) if (!KEYWORD.test(k)) bad(`keyword ${k} of ${s.calls?.[0]}`);
    if (s.stores?.some((t) => (t.object === undefined) === (t.attribute === undefined)))
      bad(`a store of ${s.concept} needs exactly one of object and attribute`);
    if (
      s.calls?.length &&
      (s.args ?? [0]).length === 0 &&
      !s.keywords?.length &&
      !s.receiverValue &&
      !('entitiesKeyword' in s) &&
      !('entityFeatures' in s)
    )
      bad(`${s.calls[0]} has no dangerous argument`);
    const onMethods = s.calls?.some((c) => c.startsWith('.'));
    // A receiver also narrows a store into an attribute (`resp.headers[...] = ...`, not a request's).
    const onAttributeStores = s.stores?.some((st) => st.attribute !== undefined);
    if (((s.receiver && !onAttributeStores) || s.notCallee || s.knownCallee) && !onMethods)
      bad(`${s.calls?.[0]}: conditions without .method`);
  }
  for (const s of model.sanitizers ?? []) {
    if (!QUALIFIED.test(s.call)) bad(`sanitizer ${s.call}`);
    if (!s.cwe.length || s.cwe.some((c) => !Number.isInteger(c) || c < 1)) bad(`CWEs of ${s.call}`);
  }
  for (const g of model.guards ?? []) {
    if ('call' in g ? !QUALIFIED.test(g.call) || g.arg < -1 : !KEYWORD.test(g.method))
      bad(`guard ${JSON.stringify(g)}`);
  }
  for (const d of model.routeDecorators ?? []) if (!KEYWORD.test(d)) bad(`route decorator ${d}`);
  for (const n of [
    ...(model.requestParameterNames ?? []),
    ...(model.requestMethods ?? []),
    ...(model.unhintedSourcePackages ?? []),
    ...(model.environEntryPoints ?? []).flatMap((e) => [e.parameter, e.withParameter]),
  ])
    if (!KEYWORD.test(n)) bad(`name ${n}`);
  for (const h of model.sourceHints ?? []) {
    let hint: RegExp | undefined;
    try {
      hint = new RegExp(h);
    } catch {
      bad(`source hint ${h} is no regular expression`);
    }
    if (hint?.test('')) bad(`source hint ${h} matches nothing in particular`);
  }
  for (const p of model.urlParametersAfterRequestImports ?? []) if (!QUALIFIED.test(p)) bad(`import ${p}`);
  for (const t of model.terminatingCalls ?? [])
    if (!QUALIFIED.test(t.call)) bad(`terminating call ${t.call}`);
  const client = model.httpClient;
  if (client && !client.requestCalls.length) bad('an HTTP client without request calls');
  for (const c of [...(client?.requestCalls ?? []), ...(client?.clientCalls ?? [])])
    if (!QUALIFIED.test(c)) bad(`HTTP client call ${c}`);
  for (const names of Object.values(model.cookieSettings ?? {}))
    for (const n of names ?? []) if (!/^[A-Z][A-Z0-9_]*$/.test(n)) bad(`cookie setting ${n}`);
  for (const s of model.sinks ?? []) {
    if (s.concept === 'command-execution' && s.programArg !== undefined && !s.searchesPath)
      bad(`${s.calls?.[0]}: a program position without a PATH search`);
    if (s.concept === 'cookie-setting') {
      const positions = Object.values(s.flagPositions);
      if (
        positions.some((p) => !Number.isInteger(p) || p < 0) ||
        new Set(positions).size !== positions.length
      )
        bad(`${s.calls?.[0]}: flag positions ${positions.join(', ')}`);
    }
  }
  return out;
}

describe('the Python framework models', () => {
  it('name known concepts and give every entry a valid callee and argument shape', () => {
    expect(MODELS.flatMap(problems)).toEqual([]);
  });

  it('finds what is wrong with an ill-formed model', () => {
    const broken = {
      name: 'broken',
      sinks: [
        { concept: 'comand-execution', calls: ['os system'], args: [-1], shell: 'always' },
        { concept: 'redirect', calls: ['.redirect'], keywords: ['to url'] },
        { concept: 'logging', calls: ['logging.info'], receiver: /log/ },
      ],
      sources: [{ concept: 'http-request-input', call: 'x.get', attribute: 'x.args' }],
      sanitizers: [{ call: 'x.clean', cwe: [] }],
      requestParameterNames: ['re quest'],
      sourceHints: ['input\\s*(', 'x?'],
      terminatingCalls: [{ call: 'flask abort' }],
      cookieSettings: { secure: ['session_cookie_secure'] },
      httpClient: { requestCalls: ['x get'], defaultTimeout: 'none' },
    } as unknown as FrameworkModel;
    expect(problems(broken)).toEqual([
      'broken: source {"concept":"http-request-input","call":"x.get","attribute":"x.args"} names 2 things',
      'broken: unknown sink concept comand-execution',
      'broken: sink call os system',
      'broken: argument -1 of os system',
      'broken: keyword to url of .redirect',
      'broken: logging.info: conditions without .method',
      'broken: CWEs of x.clean',
      'broken: name re quest',
      'broken: source hint input\\s*( is no regular expression',
      'broken: source hint x? matches nothing in particular',
      'broken: terminating call flask abort',
      'broken: HTTP client call x get',
      'broken: cookie setting session_cookie_secure',
    ]);
  });

  it('are unique by name and list a sanitizer once', () => {
    const names = MODELS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    // Calls that return the application's own URLs are sanitizers too (models' `internalUrls`).
    const calls = [
      ...MODELS.flatMap((m) => m.sanitizers ?? []).map((s) => s.call),
      ...MODELS.flatMap((m) => m.internalUrls ?? []).filter((c) => !c.startsWith('.')),
    ];
    expect(calls.length).toBe(Object.keys(SANITIZERS).length);
    expect(SANITIZERS['flask.url_for']).toContain(601);
    expect(SANITIZERS['django.urls.reverse_lazy']).toContain(601);
  });

  it('assemble the route decorators of every web framework', () => {
    for (const d of [
      'app.route',
      'bp.get',
      'router.api_route',
      'app.websocket',
      'routes.view',
      'app.endpoint',
    ])
      expect(ROUTE_DECORATOR.test(d), d).toBe(true);
    expect(ROUTE_DECORATOR.test('app.register')).toBe(false);
    expect(ROUTE_TEXT.test('@app.route("/x")\ndef x(): pass')).toBe(true);
    expect(ROUTE_TEXT.test('@bp.get_item\ndef x(): pass')).toBe(false);
  });

  it('assemble what the dataflow front end reads about requests', () => {
    expect([...REQUEST_PARAMETER_NAMES].sort()).toEqual(['req', 'request']);
    expect([...REQUEST_ENDING_CALLS].sort()).toEqual([
      'flask.abort',
      'flask_restful.abort',
      'flask_smorest.abort',
      'quart.abort',
      'werkzeug.exceptions.abort',
    ]);
    expect(urlParametersFollowRequest('from django.http import HttpResponse')).toBe(true);
    expect(urlParametersFollowRequest('import rest_framework.views')).toBe(true);
    expect(urlParametersFollowRequest('from flask import request')).toBe(false);
    expect(REQUEST_DATA_METHODS.has('getlist') && REQUEST_DATA_METHODS.has('read')).toBe(true);
  });

  it('give every concept a Python taint rule picks at least one sink', () => {
    const picked = allRules()
      .filter((r) => r.languages.includes('python'))
      .flatMap((r) => r.taint?.concepts ?? []);
    expect(picked.length).toBeGreaterThan(10);
    for (const c of picked) expect(sinksOf(c).length, c).toBeGreaterThan(0);
  });
});

describe('a sink the config file declares by concept', () => {
  const text = `import billing

def handler(payload):
    billing.fetch(payload)
    billing.fetch(billing.clean(payload))
`;
  const options = taintOptions(
    parseConfig(
      `taint:
  sources:
    - parameter: payload
  sanitizers:
    - call: billing.clean
      cwe: [22]
  sinks:
    - call: billing.fetch
      concept: file-access
`,
      '.secreview.yml',
    ),
  );

  it('reaches the rule that picks the concept, as the models do', async () => {
    const rules = ['python/path-traversal', 'python/ssrf', 'python/os-command-injection'].map((id) =>
      findRule(id)!,
    );
    const result = await analyzeSource('app.py', text, 'python', rules, undefined, { options });
    expect(result.findings.map((f) => [f.ruleId, f.location.start.line, f.cwe, f.confidence])).toEqual([
      ['python/path-traversal', 4, 22, 'high'],
    ]);
    expect(result.findings[0].message).toBe(
      '`billing.fetch` uses a file path built from parameter `payload` (line 3); `../` or an absolute path in it reaches files outside the intended directory.',
    );
    expect(result.findings[0].flow?.map((s) => `${s.location.start.line}: ${s.note}`)).toEqual([
      '3: source: parameter `payload`',
      '4: reaches `billing.fetch` as the file path',
    ]);
  });

  it('reaches a rule whose check traces the models, traced by the engine', async () => {
    const config = parseConfig(
      'taint:\n  sources:\n    - parameter: payload\n  sinks:\n    - call: jobs.run_line\n      concept: command-execution\n',
      '.secreview.yml',
    );
    const rules = ['python/os-command-injection', 'python/path-traversal'].map((id) => findRule(id)!);
    // The rule's prefilter runs it only on files that name one of the modules it knows (`os`).
    const result = await analyzeSource(
      'app.py',
      'import os\nimport jobs\n\ndef handler(payload):\n    jobs.run_line(payload)\n',
      'python',
      rules,
      undefined,
      {
        options: taintOptions(config),
      },
    );
    expect(result.findings.map((f) => [f.ruleId, f.location.start.line, f.message])).toEqual([
      [
        'python/os-command-injection',
        5,
        '`jobs.run_line` receives a command built from parameter `payload` (line 4); it is used without validation.',
      ],
    ]);
  });

  it('is rejected with its line when the concept is unknown', () => {
    expect(() =>
      parseConfig(
        'taint:\n  sinks:\n    - call: billing.fetch\n      concept: file-acces\n',
        '.secreview.yml',
      ),
    ).toThrow(/\.secreview\.yml:4/);
  });
});
