import { describe, expect, it } from 'vitest';
import { reviewFiles } from './review-files.js';

/**
 * A client's payload spread after a fixed field may replace it (`{ type: 'profile', ...req.body }`):
 * the flow of a finding names the spread where it does (dataflow/evaluate.ts, objectValue).
 */
const APP = [
  "const express = require('express');", // 1
  "const { fork } = require('child_process');", // 2
  'const app = express();', // 3
  'function startJob(options) {', // 4
  '  fork(`./jobs/export-${options.type}.js`);', // 5
  '}', // 6
  "app.post('/export', (req, res) => {", // 7
  '  const data = req.body;', // 8
  "  startJob({ type: 'profile', ...data });", // 9
  '  res.end();', // 10
  '});', // 11
  "app.post('/export/fixed', (req, res) => {", // 12
  "  startJob({ ...req.body, type: 'profile' });", // 13
  '  res.end();', // 14
  '});', // 15
  '',
].join('\n');

describe('JavaScript object spreads', () => {
  it('name the spread that replaces a fixed field in the flow', async () => {
    const findings = await reviewFiles({ 'app.js': APP }, ['javascript/path-traversal']);
    expect(findings.map((f) => f.location.start.line)).toEqual([5]);
    expect(findings[0].flow?.map((s) => [s.location.start.line, s.note])).toEqual([
      [8, 'source: `req.body`'],
      [9, 'spread over `type`'],
      [5, 'reaches `child_process.fork` (called as `fork`) as the file path'],
    ]);
  });
});
