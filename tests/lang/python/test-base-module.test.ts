import { describe, expect, it } from 'vitest';
import { projectReview } from '../../../src/engine/project-review.js';
import { allRules } from '../../../src/rules/registry.js';

/**
 * A package's test base module (`test.py`) monkeypatches a production class in its `setUp`. It is
 * test code: it is no entry point, so what it patches never changes what the production code does
 * for the roots that run after it (nova's `test.py` replaced `NovaException._log_exception` for
 * every later root of the project, and a flow into the exception's log was found or not by the
 * order of the roots).
 */
const FILES: Record<string, string> = {
  'app/__init__.py': '',
  'app/errors.py': [
    'import logging',
    'LOG = logging.getLogger(__name__)',
    '',
    'class AppError(Exception):',
    '    msg_fmt = "failed: %(name)s"',
    '',
    '    def __init__(self, **kwargs):',
    '        self.kwargs = kwargs',
    '        try:',
    '            message = self.msg_fmt % kwargs',
    '        except KeyError:',
    '            self._log_exception()',
    '            message = self.msg_fmt',
    '        super().__init__(message)',
    '',
    '    def _log_exception(self):',
    '        for name, value in self.kwargs.items():',
    '            LOG.error("%s: %s" % (name, value))',
    '',
  ].join('\n'),
  'app/test.py': [
    'from flask import request',
    'from app import errors',
    '',
    'class Reraise:',
    '    @classmethod',
    '    def patch(cls):',
    '        errors.AppError._log_exception = cls._wrap',
    '',
    '    @staticmethod',
    '    def _wrap(self):',
    '        raise ValueError()',
    '',
    'class TestCase:',
    '    def setUp(self):',
    '        Reraise.patch()',
    "        self.arg = request.args.get('x')",
    '',
  ].join('\n'),
  'app/views.py': [
    'from flask import Flask, request',
    'from app import errors',
    'app = Flask(__name__)',
    '',
    "@app.route('/thing')",
    'def thing():',
    "    raise errors.AppError(nam=request.args['n'])",
    '',
  ].join('\n'),
};

describe("a package's test base module", () => {
  it('patches nothing for the production roots: the flow into the exception log is found', async () => {
    const sources = Object.entries(FILES).map(([file, text]) => ({
      file,
      text,
      language: 'python' as const,
    }));
    const { files } = await projectReview(sources, allRules(), undefined, new Set(Object.keys(FILES)));
    const found = [...files].flatMap(([path, r]) =>
      r.analysis.findings
        .filter((f) => f.ruleId === 'python/log-injection')
        .map(
          (f) =>
            `${path}:${f.location.start.line} via ${(f.flow ?? []).map((s) => `${s.location.file}:${s.location.start.line}`).join(' ')}`,
        ),
    );
    expect(found).toEqual(['app/errors.py:18 via app/views.py:7 app/errors.py:17 app/errors.py:18']);
  });
});
