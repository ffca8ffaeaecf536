import { describe, expect, it } from 'vitest';
import { reviewFiles } from './review-files.js';

/**
 * The project's key-path setter, typed (TypeScript, or Flow read by TSX's grammar), is one too; the
 * finding's flow goes on to the write by key inside it.
 */
const SETTER = [
  "import express from 'express';", // 1
  'const app = express();', // 2
  'app.use(express.json());', // 3
  'function expand(object: any, key: string, value: any): any {', // 4
  "  if (key.indexOf('.') < 0) {", // 5
  '    object[key] = value;', // 6
  '    return object;', // 7
  '  }', // 8
  "  const path = key.split('.');", // 9
  "  object[path[0]] = expand(object[path[0]] || {}, path.slice(1).join('.'), value);", // 10
  '  return object;', // 11
  '}', // 12
  'function expandChecked(object: any, key: string, value: any): any {', // 13
  "  const path = key.split('.');", // 14
  "  if (path[0] === '__proto__' || path[0] === 'constructor') return object;", // 15
  '  if (path.length === 1) {', // 16
  '    object[path[0]] = value;', // 17
  '    return object;', // 18
  '  }', // 19
  "  object[path[0]] = expandChecked(object[path[0]] || {}, path.slice(1).join('.'), value);", // 20
  '  return object;', // 21
  '}', // 22
  "app.post('/a', (req, res) => {", // 23
  '  const out = {};', // 24
  '  for (const key of Object.keys(req.body)) expand(out, key, req.body[key]);', // 25
  '  for (const key of Object.keys(req.body)) expandChecked(out, key, req.body[key]);', // 26
  '  res.json(out);', // 27
  '});', // 28
  '',
].join('\n');

describe('JavaScript key-path setters with typed parameters', () => {
  it('are reported at the call, the flow ending at the write by key', async () => {
    const findings = await reviewFiles({ 'app.ts': SETTER }, ['javascript/prototype-pollution']);
    expect(findings.map((f) => f.location.start.line)).toEqual([25]);
    const flow = findings[0].flow ?? [];
    expect(flow.at(-1)?.location.start.line).toBe(6);
    expect(flow.at(-1)?.note).toBe('`object[key] = value` writes by a key of it, unchecked');
  });
});
