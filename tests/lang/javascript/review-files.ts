import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Finding } from '../../../src/core/index.js';
import type { TaintOptions } from '../../../src/dataflow/index.js';
import { review } from '../../../src/engine/review.js';
import { findRule } from '../../../src/rules/registry.js';

/**
 * Reviews a small project written to a temporary folder (paths relative to it, as the findings
 * give them) with the named rules only; the defects it reports. The folder is removed after.
 */
export async function reviewFiles(
  files: Record<string, string>,
  ruleIds: readonly string[],
  options?: TaintOptions,
): Promise<Finding[]> {
  const dir = mkdtempSync(join(tmpdir(), 'secreview-js-project-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const result = await review({
      paths: ['.'],
      cwd: dir,
      rules: ruleIds.map((id) => findRule(id)!),
      jobs: 1,
      ...(options ? { taint: options } : {}),
    });
    return result.findings.filter((f) => f.kind === 'defect');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
