/**
 * A Flask app whose route `/run` (lines 5-7) passes `request.args['cmd']` to a `run` it imports on
 * line 2 with `importLine`: the flow starts on line 7.
 */
export function flaskRunApp(importLine: string): string {
  return [
    'from flask import Flask, request',
    importLine,
    'app = Flask(__name__)',
    '',
    "@app.route('/run')",
    'def do_run():',
    "    return run(request.args['cmd'])",
    '',
  ].join('\n');
}
