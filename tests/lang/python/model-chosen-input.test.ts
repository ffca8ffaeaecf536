import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../../src/engine/analyze.js';
import { allRules } from '../../../src/rules/registry.js';

const root = join(import.meta.dirname, '..', '..', '..');

async function levels(rule: string, path: string, text: string) {
  const rules = allRules().filter((r) => r.id === rule);
  const { findings, ruleErrors } = await analyzeSource(path, text, 'python', rules);
  expect(ruleErrors).toEqual([]);
  return findings.map((f) => `${f.location.start.line} ${f.severity}/${f.confidence}: ${f.confidenceReason}`);
}

const steered =
  'a language model chooses this tool argument, and text the model reads (a web page, a document) can steer that choice (prompt injection)';

describe('values a language model chooses (agent tools)', () => {
  it('keeps the severity and reports at medium confidence, saying why', async () => {
    const path = 'src/lang/python/rules/xpath-injection/fixtures/agent_tools.py';
    expect(await levels('python/xpath-injection', path, readFileSync(join(root, path), 'utf8'))).toEqual([
      `19 high/medium: proven flow from tool argument \`label\` (line 11); ${steered}`,
      `64 high/medium: proven flow from tool argument \`title\` (line 62); ${steered}`,
      `76 high/medium: proven flow from tool argument \`product\` (line 74); ${steered}`,
    ]);
  });

  it('a client of a Gradio app is no language model: its values keep the confidence', async () => {
    const text = [
      'import gradio as gr',
      'import httpx',
      '',
      '',
      'def fetch(url: str) -> str:',
      '    return httpx.get(url, timeout=10).text',
      '',
      '',
      'demo = gr.Interface(fetch, "text", "text")',
      '',
    ].join('\n');
    expect(await levels('python/ssrf', 'app.py', text)).toEqual([
      '6 high/high: proven flow from input value `url` (line 5)',
    ]);
  });

  it("a Gradio component's postprocess value is the app's choice: medium confidence, and only for SSRF", async () => {
    const text = [
      'import httpx',
      'from gradio.components.base import Component',
      '',
      '',
      'class Preview(Component):',
      '    def postprocess(self, value):',
      '        with open(value) as f:',
      '            f.read()',
      '        return httpx.get(value, timeout=10).text',
      '',
    ].join('\n');
    expect(await levels('python/ssrf', 'app.py', text)).toEqual([
      "9 high/medium: proven flow from value the app returned to show `value` (line 6); the application's function chooses this value, and apps often pass on what a user sent",
    ]);
    expect(await levels('python/path-traversal', 'app.py', text)).toEqual([]);
  });
});
