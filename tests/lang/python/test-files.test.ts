import { describe, expect, it } from 'vitest';
import { isTestFile } from '../../../src/lang/python/test-files.js';

describe('Python test files', () => {
  it("know test folders, pytest names, a Django app test module and a package's test base module", () => {
    const tests = [
      'tests/test_views.py',
      'app/test/helpers.py',
      'pkg/testing/fakes.py',
      'pkg/test_models.py',
      'pkg/models_test.py',
      'pkg/api_tests.py',
      'conftest.py',
      'shop/tests.py',
      'tests.py',
      'nova/test.py',
      'test.py',
    ];
    expect(tests.filter((p) => !isTestFile(p))).toEqual([]);
  });

  it('leave application modules whose names only contain test', () => {
    const code = [
      'shop/views.py',
      'shop/latest.py',
      'shop/contests.py',
      'shop/testsuite.py',
      'shop/attest.py',
      'shop/latest_test_results.py',
      'shop/contest.py',
    ];
    expect(code.filter(isTestFile)).toEqual([]);
  });
});
