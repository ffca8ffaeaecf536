import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/index.js';
import { reviewFiles } from './review-files.js';

/**
 * Redirect targets checked to be paths of this site (dataflow/guards.ts): a check that misses `//`
 * or `\` is named in the finding with what it lets through.
 */
const APP = [
  "const express = require('express');", // 1
  'const app = express();', // 2
  "app.get('/a', (req, res) => {", // 3
  '  const next = req.query.next;', // 4
  "  if (!next.startsWith('/')) return res.redirect('/');", // 5
  '  res.redirect(next);', // 6
  '});', // 7
  "app.get('/b', (req, res) => {", // 8
  '  const next = req.query.next;', // 9
  "  if (!next.startsWith('/') || next.startsWith('//')) return res.redirect('/');", // 10
  '  res.redirect(next);', // 11
  '});', // 12
  "app.get('/c', (req, res) => {", // 13
  '  const next = req.query.next;', // 14
  "  if (next.charAt(0) !== '/' || next.charAt(1) === '/' || next.charAt(1) === '\\\\') return res.redirect('/');", // 15
  '  res.redirect(next);', // 16
  '});', // 17
  "app.get('/d', (req, res) => {", // 18
  '  const next = req.query.next;', // 19
  "  if (next.startsWith('/') && next.length < 200) res.redirect(next);", // 20
  '});', // 21
  '',
].join('\n');

function reviewApp(): Promise<Finding[]> {
  return reviewFiles({ 'app.js': APP }, ['javascript/open-redirect']);
}

describe('JavaScript redirect checks', () => {
  it('name what a partial check lets through, and clear a complete one', async () => {
    const findings = await reviewApp();
    expect(findings.map((f) => [f.location.start.line, f.message])).toEqual([
      [
        6,
        '`res.redirect` receives a redirect target built from `req.query` (line 4); the check ' +
          "`!next.startsWith('/')` lets through `//evil.example`, which browsers read as another site.",
      ],
      [
        11,
        '`res.redirect` receives a redirect target built from `req.query` (line 9); the check ' +
          "`!next.startsWith('/') || next.startsWith('//')` lets through `/\\evil.example`, which browsers " +
          'read as another site.',
      ],
      [
        20,
        '`res.redirect` receives a redirect target built from `req.query` (line 19); it is used without validation.',
      ],
    ]);
    expect(findings[0].flow?.map((s) => s.location.start.line)).toEqual([4, 5, 6]);
  });
});
