import { describeSource } from '../../../../dataflow/query.js';
import { defineRule } from '../../../../rules/rule.js';
import { taintedSinks } from '../../dataflow/index.js';
import { browserSource } from '../../models/frameworks.js';
import { sinksOf } from '../../models/sinks.js';

/**
 * Request members that cannot hold a raw line break: Node's HTTP parser refuses CR and LF in header
 * values, and the URL and its path stay percent-encoded (`%0A`) as the client sent them. Decoded parts
 * (query values, path parameters, body, cookies) can.
 */
const NO_LINE_BREAK =
  /(^|\.)(url|originalUrl|path|headers|hostname|host|ip|ips|get|header|querystring|href|origin|protocol)(\(\))?$/;

export default defineRule({
  id: 'javascript/log-injection',
  title: 'Log entry written with request data',
  cwe: 117,
  severity: 'low',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['console.', 'debug', 'log4js', 'winston', 'appendFile'],
  description:
    'Request data is written to a line-oriented log without removing line breaks: `console.log`/`info`/' +
    '`warn`/`error`/`debug`/`trace`, the `debug` module, log4js loggers, winston loggers whose format ' +
    'writes text (`format.simple()`, `printf`, `cli`), and `fs.appendFile` to a `*.log` file. A client ' +
    'can add fake lines to the log (a forged "login succeeded" entry) or break the format that log ' +
    'readers and alerts rely on. JSON loggers (pino, bunyan, winston by default) escape line breaks and ' +
    'are not reported, nor objects a console prints with `util.inspect` (`console.log(req.body)`), nor ' +
    'text whose line breaks were replaced (`s.replace(/[\\r\\n]/g, "")`), `JSON.stringify` or ' +
    '`encodeURIComponent` of it. Headers and the raw URL cannot hold a line break (Node refuses them in ' +
    'headers; the URL stays percent-encoded); values a browser page reads from its own address are not a server log.',
  fix: 'Remove or escape CR and LF in request data before logging it (`value.replace(/[\\r\\n]+/g, " ")`), or log with a structured JSON logger such as pino.',
  example: {
    bad: 'console.log(`login failed for ${req.body.user}`)',
    good: 'console.log(`login failed for ${String(req.body.user).replace(/[\\r\\n]+/g, " ")}`)',
  },
  // Reads the dataflow in its check.
  taint: {},
  check({ module, taint, report }) {
    if (taint.sourceFree) return;
    for (const hit of taintedSinks(module, taint, sinksOf(['logging']), 117)) {
      // Only a client's request: the program's own configuration and a page's address are not.
      const sources = hit.trace.sources.filter(
        (s) =>
          (s.trust === 'user' || s.trust === 'admin') &&
          browserSource(s.label) === undefined &&
          !NO_LINE_BREAK.test(s.label),
      );
      if (!sources.length) continue;
      report({
        node: hit.node,
        message: `${hit.sinkLabel} logs ${describeSource(sources[0])} with its line breaks: a client can forge log entries.`,
        flow: hit.flow,
        sources,
      });
    }
  },
});
