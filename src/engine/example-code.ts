import type { Finding } from '../core/index.js';

/**
 * Example and documentation code: an `examples/`, `example/`, `samples/`, `sample/`, `docs/` or
 * `doc/` folder inside the reviewed tree. It is reviewed like any code (people copy examples), but
 * it is not the program that ships or runs by default, so its defects are reported at low severity
 * and say so, unless the config asks otherwise (`examples-as-production: true`). The folder must be
 * below the directory the review walks: reviewing `examples/` itself reviews it as production code.
 */
const EXAMPLE_FOLDER = /(?:^|\/)((?:example|sample|doc)s?)\//;

/** The example folder a path (relative to the walked directory, `/`-separated) lies in, if any. */
export function exampleFolder(treePath: string): string | undefined {
  return EXAMPLE_FOLDER.exec(treePath)?.[1];
}

/**
 * A defect lowered to low severity for where it is (example code, code that declares itself not for
 * production): the message and the confidence reason say why. Other findings are left as they are.
 */
export function lowSeverityFor(finding: Finding, why: string): Finding {
  if (finding.kind !== 'defect' || finding.severity === 'low') return finding;
  return {
    ...finding,
    severity: 'low',
    message: `${finding.message.replace(/\.?$/, ';')} ${why}.`,
    confidenceReason: `${finding.confidenceReason}; ${why}, so its severity is low`,
  };
}

/** A defect in example code: low severity, and the message and confidence reason say why. */
export function forExampleCode(finding: Finding, folder: string): Finding {
  return lowSeverityFor(
    finding,
    `it is in example code (\`${folder}/\`), which is not part of the shipped program`,
  );
}
