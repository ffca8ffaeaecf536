import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { allRules } from '../../../src/rules/registry.js';

const root = join(import.meta.dirname, '..', '..', '..');
const path = 'src/lang/python/rules/tls-verification-disabled/fixtures/paste_options.py';

describe('Paste Deploy options tested for truth', () => {
  it('reports the read of a text option whose truth turns verification off, medium, not converted ones', async () => {
    const rules = allRules().filter((r) => r.id === 'python/tls-verification-disabled');
    const { findings } = await analyzeSource(path, readFileSync(join(root, path), 'utf8'), 'python', rules);
    expect(
      findings.map((f) => `${f.location.start.line} ${f.severity}/${f.confidence}: ${f.message}`),
    ).toEqual([
      '12 medium/medium: `conf.get("insecure", False)` is the text of the Paste Deploy configuration; `insecure` (line 13) treats any non-empty text, `insecure = false` included, as true and turns certificate verification off.',
      '16 low/medium: `self.verify = False` turns off certificate checks for every request made through `self`.',
      '29 medium/medium: `conf.get("skip_ssl_check", False)` is the text of the Paste Deploy configuration; `self._verify_ssl = not conf.get("skip_ssl_check", False)` (line 29) treats any non-empty text, `skip_ssl_check = false` included, as true and turns certificate verification off.',
      '51 low/high: `requests.get` is called with `verify=False`: the server certificate is not checked.',
    ]);
    expect(findings[0].fix).toContain('bool_from_string');
  });
});
