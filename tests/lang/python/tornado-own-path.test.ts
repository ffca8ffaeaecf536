import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { findRule } from '../../../src/rules/registry.js';

const CODE = `from tornado import web


class StripSlash(web.RequestHandler):
    def get(self):
        self.redirect(self.request.uri.rstrip("/"))


class Back(web.RequestHandler):
    def get(self):
        self.redirect(self.request.path)


class Elsewhere(web.RequestHandler):
    def get(self):
        self.redirect(self.request.path)


routes = [
    (r".*/", StripSlash),
    (r"/account/settings", Back),
]
`;

describe("a Tornado handler's own request path", () => {
  it('is a redirect target only when a route may match a path that begins with //', async () => {
    const rule = findRule('python/open-redirect')!;
    const result = await analyzeSource('handlers.py', CODE, 'python', [rule]);
    expect(result.findings.map((f) => [f.location.start.line, f.message])).toEqual([
      [
        6,
        '`self.redirect` redirects to a URL taken from `self.request.uri` (line 6); a crafted link sends users to any site.',
      ],
    ]);
  });
});
