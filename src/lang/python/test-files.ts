/**
 * Test code: `tests/`, `test/` and `testing/` folders, `test_*.py`, `*_test.py`, `*_tests.py`,
 * `conftest.py`, a Django app's `tests.py` (the test module `startapp` creates, found by the
 * test runner's default pattern `test*.py`), and `test.py`, the name of a package's test base
 * module (the `TestCase` whose `setUp` applies every test's fixtures and monkeypatches). Tests assert and hard-code on purpose, and build their
 * own requests; rules about production behaviour, the suggestions and the dataflow's entry points
 * skip them. The one definition of the Python pack (`python.isTestFile`).
 */
export function isTestFile(path: string): boolean {
  return /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_tests?|tests?|conftest)\.py$/.test(
    path.replace(/\\/g, '/'),
  );
}
