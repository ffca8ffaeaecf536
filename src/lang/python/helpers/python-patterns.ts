/**
 * Test code: `tests/`, `test_*.py`, `*_test.py`, `*_tests.py`, `conftest.py`. Tests assert and
 * hard-code on purpose, and build their own requests; rules about production behaviour skip them.
 */
export function isTestFile(path: string): boolean {
  return /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_tests?|conftest)\.py$/.test(
    path.replace(/\\/g, '/'),
  );
}
