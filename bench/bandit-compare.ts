/**
 * Compares secreview with Bandit on Bandit's own examples.
 *
 *   node dist/bench/bandit-compare.js <bandit-checkout> [--bandit-json FILE] [--bandit CMD]
 *
 * Reads `<checkout>/examples` and the expected per-file totals in
 * `<checkout>/tests/functional/test_functional.py`. Bandit's per-check results come from
 * `--bandit-json` (output of `bandit -r examples -f json`) or from running `--bandit` (default `bandit`)
 * when it is installed. Prints markdown tables: by Bandit check (what Bandit reports, which secreview
 * rules report the same lines, and why secreview reports less where it does), by example file, and the
 * secreview findings on lines Bandit does not report. Nothing of Bandit is copied: the checkout is read
 * where it lies.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { benchArgs } from './args.js';
import type { Finding } from '../src/core/index.js';
import { review } from '../src/engine/review.js';

interface BanditIssue {
  file: string;
  line: number;
  lines: number[];
  testId: string;
  testName: string;
}

/**
 * Why secreview deliberately reports fewer findings than Bandit for a check. Facts about the rules;
 * shown only where secreview matches fewer of Bandit's lines.
 */
const REASONS: Record<string, string> = {
  B101: 'only asserts that guard access (is_admin, has_perm, ...) outside tests; `assert True` is not a defect',
  B102: 'exec of constant source text is not code injection',
  B103: 'modes without write access for others (0o644, 0o755), group-writable modes and non-constant modes are not reported',
  B105: "names that describe a secret (PASSWORD_FIELD), values that are a secret's name, empty strings and None are not credentials",
  B106: 'as B105',
  B107: 'as B105',
  B108: 'a /tmp string is reported only when a file call opens or creates it (strings in messages and tempfile dir= are not)',
  B110: 'except: pass only after a security check (signature, auth, TLS); other cases are the suggestion rule python/suggest-exception-handling',
  B112: 'as B110 for except: continue',
  B113: 'httpx has a 5 s default timeout; only timeout=None is reported there',
  B201: 'flask-debug-mode reports debug=True only where it is statically true',
  B202: "extraction with filter='data'/'tar', an explicit members= list, or a module-wide extraction_filter is not reported",
  B301: 'loads of a constant (a file name or bytes the program chose) are not reported; the import alone is not a defect',
  B302: 'marshal of constant data is not reported',
  B303: 'MD5/SHA-1 of data with no secret-bearing name (checksums, cache keys) is not a security use; passwords and secrets are reported as CWE-916/328',
  B304: 'cipher objects are reported once per construction; modes and imports alone are not',
  B305: 'reported with the cipher construction',
  B306: '`tempfile.mktemp(...)` where the name `tempfile` is not bound in the module (it would raise NameError) is not a mktemp call',
  B307: 'eval of constant source text is not code injection',
  B308: 'mark_safe of values proven constant (literals, module constants, "...".format() of constants, names bound only to constants) or escaped is not reported',
  B310: 'constant URLs (even file://) are chosen by the developer; only non-constant URLs without a scheme check are reported',
  B311: 'random is reported only where its value is stored, passed or returned as a token, password, key or similar secret',
  B312: 'importing telnetlib is not a defect; opening a Telnet connection is',
  B313: "the standard library's XML parsers do not resolve external entities (Python 3.7.1+); lxml is reported when entity resolution is on or left at its default",
  B314: 'as B313',
  B315: 'as B313',
  B316: 'as B313',
  B317: 'as B313',
  B318: 'as B313',
  B319: 'as B313',
  B320: 'as B313',
  B321: 'only connections (ftplib.FTP(...)), not every ftplib call or import',
  B323: 'reported by tls-verification-disabled where the unverified context is used',
  B324: 'hashlib.new of a strong algorithm, usedforsecurity=False, and digests of data with no secret-bearing name are not reported',
  B401: 'import alone is not a defect',
  B402: 'import alone is not a defect',
  B403: 'import alone is not a defect',
  B404: 'import alone is not a defect',
  B405: 'import alone is not a defect',
  B406: 'import alone is not a defect',
  B407: 'import alone is not a defect',
  B408: 'import alone is not a defect',
  B409: 'import alone is not a defect',
  B410: 'import alone is not a defect',
  B411: 'import alone is not a defect',
  B412: 'import alone is not a defect (httpoxy needs a CGI deployment; not modelled)',
  B413: 'import alone is not a defect; weak ciphers are reported where used',
  B415: 'import alone is not a defect',
  B501: 'verify=False reported on the call; constant True or a CA bundle path is fine',
  B502: 'pyOpenSSL SSLv23_METHOD negotiates the best version both sides support (OpenSSL 1.1+ offers no SSL 3 through it)',
  B503: 'the default value is reported as the protocol constant it is (same rule, python/insecure-tls-version); SSLv23/TLSv1_2 defaults are fine',
  B504: 'wrap_socket() without a version negotiates modern TLS; not a defect',
  B505: 'key sizes that are not constants are not reported',
  B506: 'yaml.load with SafeLoader/CSafeLoader is safe',
  B507: 'every AutoAddPolicy/WarningPolicy use is reported',
  B508: 'reported with B509 on the same call',
  B509: 'authPriv with strong protocols is not reported',
  B601: 'constant commands over SSH are not injection',
  B602: 'constant shell commands are not injection',
  B603: 'argument lists without a shell and with a constant program are not injection',
  B604: 'shell=True on an unknown function is not a subprocess call',
  B605: 'constant shell commands are not injection',
  B606: 'constant programs without a shell are not injection',
  B607: 'shell=True command lines and non-constant programs are left to other rules',
  B608: 'SQL assembled only from constants, parameterized queries, and a plain parameter passed as the whole statement (left to the dataflow engine) are not reported',
  B609: 'without a shell nothing expands the wildcard',
  B610: 'extra() with constant SQL fragments (including "...".format() of constants) is not injection',
  B611: 'RawSQL with constant SQL is not injection',
  B612: 'every listen() without verify is reported',
  B613: 'each line with a bidi control character is reported once',
  B614: 'torch.load of a constant file name (a file the program chose) is not reported, nor weights_only=True',
  B615: 'pinned 40-hex revisions and local paths are not reported',
  B701: 'autoescape=True, select_autoescape(...) or a non-constant value is not reported',
  B702: "templates with default_filters=['h'] are not reported",
  B703: 'as B308',
  B704: "Markup of values proven constant (the examples' `content` is a module-level constant string), of sanitized values (bleach.clean), and Markup(...).format(...), which escapes, are not reported",
};

function usage(): never {
  console.error('usage: bandit-compare <bandit-checkout> [--bandit-json FILE] [--bandit CMD]');
  process.exit(2);
}

/** Expected number of issues per example file, from the functional tests' SEVERITY totals. */
function expectedTotals(checkout: string): Map<string, number> {
  const out = new Map<string, number>();
  const path = join(checkout, 'tests/functional/test_functional.py');
  if (!existsSync(path)) return out;
  const text = readFileSync(path, 'utf8');
  // Each test method sets `expect = {"SEVERITY": {...}, ...}` and then calls check_example("<file>", expect).
  for (const method of text.split(/\n\s*def test_/).slice(1)) {
    const severity = /"SEVERITY":\s*\{([^}]*)\}/.exec(method);
    const example = /self\.check_example\(\s*"([^"]+)"/.exec(method);
    if (!severity || !example || out.has(example[1])) continue;
    const total = [...severity[1].matchAll(/"(?:LOW|MEDIUM|HIGH|UNDEFINED)":\s*(\d+)/g)].reduce(
      (n, x) => n + Number(x[1]),
      0,
    );
    out.set(example[1], total);
  }
  return out;
}

function banditIssues(
  examples: string,
  json: string | undefined,
  command: string,
): BanditIssue[] | undefined {
  let text: string | undefined;
  if (json) text = readFileSync(json, 'utf8');
  else {
    const [cmd, ...args] = command.split(/\s+/);
    const r = spawnSync(cmd, [...args, '-r', examples, '-f', 'json', '-q'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (r.error || !r.stdout.trim().startsWith('{')) return undefined;
    text = r.stdout;
  }
  const data = JSON.parse(text) as {
    results: {
      filename: string;
      line_number: number;
      line_range: number[];
      test_id: string;
      test_name: string;
    }[];
  };
  return data.results.map((r) => ({
    file: r.filename.split(/[\\/]/).pop() ?? r.filename,
    line: r.line_number,
    lines: r.line_range?.length ? r.line_range : [r.line_number],
    testId: r.test_id,
    testName: r.test_name,
  }));
}

function counts(ids: string[]): string {
  const m = new Map<string, number>();
  for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id, n]) => `${id.replace(/^python\//, '')} ${n}`)
    .join(', ');
}

async function main(): Promise<void> {
  const parsed = benchArgs(
    {
      allowPositionals: true,
      options: { 'bandit-json': { type: 'string' }, bandit: { type: 'string', default: 'bandit' } },
    },
    'usage: bandit-compare <bandit-checkout> [--bandit-json FILE] [--bandit CMD]',
  );
  if (!parsed) return;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) usage();
  const checkout = resolve(positionals[0]);
  const examples = join(checkout, 'examples');
  if (!existsSync(examples)) usage();

  const result = await review({ paths: [examples], cwd: examples });
  const defects = result.findings.filter((f) => f.kind === 'defect');
  const fileOf = (f: Finding): string =>
    relative(examples, resolve(examples, f.location.file)).split(/[\\/]/).pop() ?? '';
  const byFile = new Map<string, Finding[]>();
  for (const f of defects) byFile.set(fileOf(f), [...(byFile.get(fileOf(f)) ?? []), f]);

  const bandit = banditIssues(examples, values['bandit-json'], values.bandit ?? 'bandit');
  const expected = expectedTotals(checkout);
  const matched = new Set<Finding>();
  const overlaps = (f: Finding, b: BanditIssue): boolean =>
    b.lines.some((l) => l >= f.location.start.line && l <= f.location.end.line) ||
    (f.location.start.line >= Math.min(...b.lines) && f.location.start.line <= Math.max(...b.lines));

  console.log(`# secreview vs Bandit on Bandit's examples\n`);
  console.log(`secreview: ${defects.length} defects in ${byFile.size} of ${result.files.length} files.`);
  if (bandit) {
    console.log(`Bandit: ${bandit.length} issues.\n`);
    const checks = new Map<string, BanditIssue[]>();
    for (const b of bandit) checks.set(b.testId, [...(checks.get(b.testId) ?? []), b]);
    console.log('## By Bandit check\n');
    console.log(
      '| Check | Bandit | secreview on the same lines | secreview rules (findings on those lines) | Why secreview reports fewer |',
    );
    console.log('| --- | ---: | ---: | --- | --- |');
    for (const [id, issues] of [...checks.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const hit = issues.filter((b) => (byFile.get(b.file) ?? []).some((f) => overlaps(f, b)));
      const rules: string[] = [];
      const seen = new Set<Finding>();
      for (const b of issues)
        for (const f of byFile.get(b.file) ?? [])
          if (overlaps(f, b)) {
            matched.add(f);
            if (!seen.has(f)) rules.push(f.ruleId);
            seen.add(f);
          }
      const reason = hit.length < issues.length ? (REASONS[id] ?? '') : '';
      console.log(
        `| ${id} ${issues[0].testName} | ${issues.length} | ${hit.length} | ${counts(rules)} | ${reason} |`,
      );
    }
    const extra = defects.filter((f) => !matched.has(f));
    console.log(`\n## secreview findings on lines Bandit does not report (${extra.length})\n`);
    console.log('| Rule | Findings | Files |');
    console.log('| --- | ---: | --- |');
    const byRule = new Map<string, Finding[]>();
    for (const f of extra) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
    for (const [rule, fs] of [...byRule.entries()].sort((a, b) => a[0].localeCompare(b[0])))
      console.log(`| ${rule} | ${fs.length} | ${[...new Set(fs.map(fileOf))].join(', ')} |`);
  } else {
    console.log(
      'Bandit results unavailable (install bandit or pass --bandit-json); per-check table skipped.\n',
    );
  }
  console.log('\n## By example file\n');
  console.log('| File | Bandit expected (functional tests) | Bandit now | secreview | secreview rules |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  const files = [...new Set([...expected.keys(), ...byFile.keys()])].sort();
  for (const file of files) {
    const now = bandit ? String(bandit.filter((b) => b.file === file).length) : 'n/a';
    const fs = byFile.get(file) ?? [];
    console.log(
      `| ${file} | ${expected.get(file) ?? ''} | ${now} | ${fs.length} | ${counts(fs.map((f) => f.ruleId))} |`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
