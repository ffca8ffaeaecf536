import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

/** The open-redirect findings of a file: line and flow steps (line: note). */
async function redirects(code: string): Promise<[number, string[]][]> {
  const rule = findRule('python/open-redirect')!;
  const result = await analyzeSource('app.py', code, 'python', [rule]);
  return result.findings.map((f) => [
    f.location.start.line,
    (f.flow ?? []).map((s) => `${s.location.start.line}: ${s.note}`),
  ]);
}

const HEAD = `from urllib.parse import urlparse, urlsplit

from flask import Flask, redirect, request

app = Flask(__name__)
`;

const WEAK =
  '`///evil.example` or `/\\evil.example`, which urlparse reads as a path with no host and browsers as another host';
const NEITHER = '`///evil.example` and `/\\evil.example` have neither';

describe('the steps of a redirect target inside a weak URL validator of the project', () => {
  it('shows the parameter, the test of the parsed host and the return that accepts', async () => {
    expect(
      await redirects(`${HEAD}

def is_local_url(url):
    if url is None or url.strip() == "":
        return False
    parts = urlsplit(url)
    if (parts.netloc or parts.scheme) and parts.netloc != "example.com":
        return False
    return True


@app.route("/login")
def login():
    target = request.args.get("next", "/")
    if is_local_url(target):
        return redirect(target)
    return redirect("/")
`),
    ).toEqual([
      [
        21,
        [
          '19: source: `request.args.get("next", "/")`',
          '19: assigned to `target`',
          '20: passed to `is_local_url` as `url`',
          `12: tests only the host and scheme \`urlsplit\` finds in \`url\`; ${NEITHER}`,
          '14: accepts such a URL: returns True',
          `20: the check \`is_local_url(target)\` does not reject ${WEAK}`,
          '21: reaches `flask.redirect` (called as `redirect`) as the redirect target',
        ],
      ],
    ]);
  });

  it('follows a test true for a URL with no host into its block, for a method and through a flag', async () => {
    expect(
      await redirects(`${HEAD}

class Links:
    def safe(self, url):
        if not urlparse(url).netloc:
            return True
        return False


@app.route("/back")
def back():
    target = request.args.get("next", "/")
    ok = Links().safe(target)
    if ok:
        return redirect(target)
    return redirect("/")
`),
    ).toEqual([
      [
        20,
        [
          '17: source: `request.args.get("next", "/")`',
          '17: assigned to `target`',
          '18: passed to `safe` as `url`',
          `10: tests only the host and scheme \`urlparse\` finds in \`url\`; ${NEITHER}`,
          '11: accepts such a URL: returns True',
          `18: the check \`Links().safe(target)\` does not reject ${WEAK}`,
          '20: reaches `flask.redirect` (called as `redirect`) as the redirect target',
        ],
      ],
    ]);
  });

  it('keeps only the check at the call when the text does not make the accepting return certain', async () => {
    // An earlier return may accept; the test's truth depends on a comparison; the branch may raise.
    expect(
      await redirects(`${HEAD}

def is_local_start(url):
    if url.startswith("/"):
        return True
    if urlsplit(url).netloc:
        return False
    return True


def is_same_host(url):
    if urlsplit(url).netloc == "":
        return True
    return False


def is_valid_logged(url):
    parts = urlsplit(url)
    if parts.netloc:
        return False
    if len(url) > 2000:
        raise ValueError(url)
    return True


@app.route("/a")
def a():
    target = request.args.get("next", "/")
    if is_local_start(target):
        return redirect(target)
    if is_same_host(target):
        return redirect(target)
    if is_valid_logged(target):
        return redirect(target)
    return redirect("/")
`),
    ).toEqual(
      [
        [35, 'is_local_start(target)'],
        [37, 'is_same_host(target)'],
        [39, 'is_valid_logged(target)'],
      ].map(([line, check]) => [
        line,
        [
          '33: source: `request.args.get("next", "/")`',
          '33: assigned to `target`',
          `${(line as number) - 1}: the check \`${check}\` does not reject ${WEAK}`,
          `${line}: reaches \`flask.redirect\` (called as \`redirect\`) as the redirect target`,
        ],
      ]),
    );
  });
});
