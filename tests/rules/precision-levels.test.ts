import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/engine/analyze.js';
import { review } from '../../src/engine/review.js';
import { allRules } from '../../src/rules/registry.js';
import { ruleFolder } from '../../src/rules/rule.js';

/**
 * The fixtures say which lines a rule reports; these tests pin the severity and confidence it gives
 * each of them where the rule weighs evidence (a finding without the evidence is kept, but low).
 */
const root = join(import.meta.dirname, '..', '..');

async function levels(ruleId: string, fixture: string): Promise<string[]> {
  const rule = allRules().find((r) => r.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const path = join(ruleFolder(ruleId), 'fixtures', fixture);
  const result = await analyzeSource(path, readFileSync(join(root, path), 'utf8'), 'python', [rule]);
  expect(result.ruleErrors).toEqual([]);
  return result.findings
    .map((f) => `${f.location.start.line} ${f.severity}/${f.confidence}: ${f.confidenceReason}`)
    .sort((a, b) => parseInt(a) - parseInt(b));
}

describe('python/csrf-exempt-view', () => {
  it('reports views that authenticate with the session cookie at medium severity, naming the evidence', async () => {
    expect(await levels('python/csrf-exempt-view', 'views.py')).toEqual([
      '18 medium/high: the view relies on the session cookie: `@login_required` (line 19)',
      '26 medium/high: the view relies on the session cookie: `request.user` (line 29)',
      '37 medium/high: the view relies on the session cookie: `current_user` (line 39)',
      '45 medium/high: the view relies on the session cookie: `session` (line 47)',
      '62 medium/high: the view relies on the session cookie: `self.request.user` (line 65)',
      '74 medium/high: the view relies on the session cookie: `request.user` (line 70)',
      '82 medium/high: the view relies on the session cookie: `request.session` (line 52)',
      '84 medium/high: the view relies on the session cookie: `LoginRequiredMixin` (line 56)',
    ]);
  });

  it('keeps views without cookie authentication at low severity and says why', async () => {
    const reason =
      'no session-cookie authentication seen: no login decorator or mixin, no read of request.user, the session or cookies';
    expect(await levels('python/csrf-exempt-view', 'machine_endpoints.py')).toEqual(
      [18, 25, 33, 42, 50].map((line) => `${line} low/low: ${reason}`),
    );
  });
});

describe('python/broken-cipher', () => {
  it('reports an ECB cipher that only decrypts at low severity, and one that also encrypts or escapes at medium', async () => {
    expect(await levels('python/broken-cipher', 'decrypt_only.py')).toEqual([
      '10 low/high: matched in the code as written',
      '17 low/high: matched in the code as written',
      '23 medium/high: matched in the code as written',
      '31 medium/high: matched in the code as written',
    ]);
  });
});

describe('python/assert-for-access-control', () => {
  it('keeps an access assert that is the only check at medium, and one in a decorator wrapper at low', async () => {
    expect(await levels('python/assert-for-access-control', 'narrowing.py')).toEqual([
      '61 medium/medium: the assert is the only access check seen on this path',
      '67 medium/medium: the assert is the only access check seen on this path',
      '86 low/low: inside the wrapper of decorator `require_recent_login`: whether the views it decorates are behind a login check is decided where it is applied',
      '119 medium/medium: the assert is the only access check seen on this path',
      // Records looked up by the caller's ids, and the request's user, put in a list of its own.
      '142 medium/medium: the assert is the only access check seen on this path',
      '151 medium/medium: the assert is the only access check seen on this path',
    ]);
  });

  it('keeps a login assert in a helper called from other modules at low, and a view without a login check at medium', async () => {
    const only = 'the assert is the only access check seen on this path';
    const helper = (type: string) =>
      `low/low: in a helper that returns \`${type}\`, not a response, and is called only from other modules: whether its callers are behind a login check is decided there`;
    expect(await levels('python/assert-for-access-control', 'helpers.py')).toEqual([
      `12 ${helper('Optional[str]')}`,
      `19 ${helper('str')}`,
      `26 medium/medium: ${only}`,
      `33 medium/medium: ${only}`,
      `53 medium/medium: ${only}`,
      `70 medium/medium: ${only}`,
      `77 medium/medium: ${only}`,
    ]);
  });
});

describe('python/django-raw-sql', () => {
  it('keeps non-constant SQL text that is neither built here nor reached by a flow at low', async () => {
    const untraced = (code: string) =>
      `low/low: \`${code}\` is not a constant, but it is not built here by formatting and no flow from a source reaches it`;
    expect(await levels('python/django-raw-sql', 'helper_clauses.py')).toEqual([
      `10 ${untraced('unread_clause()')}`,
      `17 ${untraced('column')}`,
      '23 high/high: proven flow from `request.GET["q"]` (line 21)',
      '29 high/high: proven flow from `request.GET["expr"]` (line 29)',
      '35 high/high: matched in the code as written',
    ]);
  });
});

describe('python/xml-external-entities', () => {
  it("weighs the default parser by the lxml version the project's manifests allow", async () => {
    const rule = allRules().find((r) => r.id === 'python/xml-external-entities')!;
    const dir = join(ruleFolder(rule.id), 'fixtures', 'projects', 'lxml-old-range');
    const result = await review({ paths: [dir], cwd: root, rules: [rule] });
    expect(
      result.findings.map((f) => `${f.location.start.line} ${f.confidence}: ${f.confidenceReason}`),
    ).toEqual([
      '10 high: proven flow from `request.data` (line 10); the project allows 4.9 of lxml, whose default resolves external entities (lxml 5.0 and later do not)',
      '15 medium: the project allows 4.9 of lxml, whose default resolves external entities (lxml 5.0 and later do not)',
    ]);
  });

  it('keeps the default parser at low confidence when no lxml version is declared', async () => {
    const unknown = (since: string): string =>
      `the project's manifests pin no lxml version (lxml ${since} and later do not resolve external entities by default)`;
    const found = await levels('python/xml-external-entities', 'xxe.py');
    expect(found.filter((f) => f.includes('pin no lxml'))).toEqual([
      `24 high/low: ${unknown('5.0')}`,
      `29 high/low: origin of the document unknown; ${unknown('5.0')}`,
      `34 high/low: ${unknown('6.1')}`,
      `110 high/low: origin of the document unknown; ${unknown('5.0')}`,
      `115 high/low: origin of the document unknown; ${unknown('5.0')}`,
      `121 high/low: proven flow from \`request.data\` (line 121); ${unknown('5.0')}`,
    ]);
  });
});

describe('python/jinja2-autoescape-off', () => {
  it('reports escaping off at medium where the output is HTML, at low where nothing shows', async () => {
    expect(await levels('python/jinja2-autoescape-off', 'outputs.py')).toEqual([
      '9 medium/medium: `autoescape` left at its default (off); the output is HTML: it loads `product.html`',
      '49 medium/medium: `autoescape` left at its default (off); the output is HTML: the output goes to `html_body`',
      '59 medium/medium: `autoescape` comes from `os.environ.get("MAIL_ESCAPE_HTML")`, whose default is off; the output is HTML: its module marks HTML as safe with `Markup`',
      '80 medium/medium: `autoescape` left at its default (off); the output is HTML: its source has HTML tags',
    ]);
    expect(await levels('python/jinja2-autoescape-off', 'jinja.py')).toEqual([
      '8 low/low: `autoescape` left at its default (off); nothing in the module shows whether the output is HTML or text',
      '13 low/low: `autoescape=False` as written; nothing in the module shows whether the output is HTML or text',
      '18 medium/medium: `autoescape` left at its default (off); the output is HTML: its source has HTML tags',
    ]);
  });
});

describe('python/open-redirect', () => {
  it('reports a redirect to the Referer header as low: it can only send users back to the linking page', async () => {
    const found = (await levels('python/open-redirect', 'redirect_checks.py')).filter((l) =>
      l.startsWith('137 '),
    );
    expect(found).toEqual([
      '137 low/low: proven flow from the Referer header `request.referrer` (line 137), which a browser sets to the page the user came from',
    ]);
  });
});

describe('python/secret-in-log', () => {
  it('keeps a client token logged only where the code refused it at low, and a refused password at medium', async () => {
    const refused = (check: string) =>
      `low/low: \`token\` holds URL parameter \`token\` (line 10), but it is logged only where \`${check}\` refused it`;
    expect(await levels('python/secret-in-log', 'refused.py')).toEqual([
      `14 ${refused('not has_token_format(token)')}`,
      `21 ${refused('except LoginToken.InvalidTokenError')}`,
      '25 medium/medium: `token` names a secret and holds URL parameter `token` (line 10), sent by the client',
      '32 medium/medium: `api_key` names a secret and holds URL parameter `api_key` (line 29), sent by the client',
      '41 medium/medium: `password` names a secret and holds URL parameter `password` (line 37), sent by the client',
      '60 medium/medium: `token` names a secret and holds URL parameter `token` (line 57), sent by the client',
      '66 low/medium: name heuristic: `api_token` names a password, token, secret or key',
    ]);
  });

  it('reports a secret-named value at low, and at medium where the dataflow proves the client sent it', async () => {
    expect(await levels('python/secret-in-log', 'client_values.py')).toEqual([
      '14 medium/medium: `password` names a secret and holds `request.form["password"]` (line 11), sent by the client',
      '21 low/medium: name heuristic: `api_token` names a password, token, secret or key',
    ]);
  });

  it('reports a secret-named value at medium where the same function hashes or checks it as a credential', async () => {
    expect(await levels('python/secret-in-log', 'credential_uses.py')).toEqual([
      '16 medium/medium: `pin` names a secret and the function uses it as one: `hash_pin(pin, seed)` (line 14)',
      '23 medium/medium: `password` names a secret and the function uses it as one: `pbkdf2_sha256.hash(password)` (line 21)',
      '28 medium/medium: `token` names a secret and the function uses it as one: `hmac.compare_digest(token.encode(), exp…` (line 29)',
      '42 low/medium: name heuristic: `api_token` names a password, token, secret or key',
      '50 low/medium: name heuristic: `session_token` names a password, token, secret or key',
    ]);
  });
});

describe('python/timing-unsafe-comparison', () => {
  it("reports a token a handler class's class method reads from the handler it is given at medium, elsewhere at low", async () => {
    expect(await levels('python/timing-unsafe-comparison', 'handler_classmethods.py')).toEqual([
      '32 medium/medium: the compared value comes from `handler.get_argument` (line 18); name heuristic: `user_token` names a secret',
      '43 medium/medium: the compared value comes from `handler.request.headers.get("X-Api-Token")` (line 43); name heuristic: `handler.settings["api_token"]` names a secret',
      '53 low/low: name heuristic: `user_token` names a secret; neither side is shown to come from a request',
    ]);
  });
});

describe('python/tls-verification-disabled', () => {
  it('reports checks turned off only to read the certificate at low, and at high where data goes over the connection', async () => {
    expect(await levels('python/tls-verification-disabled', 'certificate_probe.py')).toEqual([
      "9 low/medium: the function only reads the peer's certificate (`getpeercert`) and sends nothing over the connection",
      "11 low/high: the function only reads the peer's certificate (`getpeercert`) and sends nothing over the connection",
      '21 high/medium: matched in the code as written',
      '23 high/high: matched in the code as written',
    ]);
  });
});
