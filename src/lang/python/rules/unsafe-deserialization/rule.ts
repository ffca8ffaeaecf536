import { isTestFile } from '../../test-files.js';
import { constantValue } from '../../semantic/constant.js';
import { callLabel } from '../../helpers/calls.js';
import { isConstantFalse, isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Confidence, Severity } from '../../../../core/index.js';
import { defineRule } from '../../../../rules/rule.js';
import { sinksOf } from '../../models/index.js';
import { ORIGIN_POLICY, originOf, reportByOrigin } from '../../helpers/origin.js';

/** The models' loaders that call whatever function the data names (pickle's opcode stream and kin). */
const ALWAYS_UNSAFE: ReadonlySet<string> = new Set(
  sinksOf('deserialization').flatMap((s) => (s.runsCode === 'always' ? (s.calls ?? []) : [])),
);

/** PyYAML loaders that only build plain data. */
const SAFE_LOADERS = new Set(['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader']);
/** FullLoader was exploitable before PyYAML 5.4 (CVE-2020-1747, CVE-2020-14343). */
const FULL_LOADERS = new Set(['FullLoader', 'CFullLoader']);

interface Verdict {
  reason: string;
  severity?: Severity;
  confidence?: Confidence;
}

function yamlVerdict(call: CallSite, module: PythonModule): Verdict | undefined {
  const callee = call.callee ?? '';
  if (callee === 'yaml.full_load' || callee === 'yaml.full_load_all') {
    return {
      reason: 'uses FullLoader, which constructs Python objects and was exploitable before PyYAML 5.4',
      severity: 'medium',
      confidence: 'low',
    };
  }
  const loader = call.argument(1, 'Loader');
  if (!loader) {
    return {
      reason: 'has no `Loader`, and PyYAML before 5.1 then builds arbitrary Python objects',
      confidence: 'medium',
    };
  }
  const q = module.qualifiedName(loader);
  const name = q?.startsWith('yaml.') ? q.slice(5) : undefined;
  if (name === undefined || SAFE_LOADERS.has(name)) return undefined; // a custom loader is not judged
  if (FULL_LOADERS.has(name)) {
    return {
      reason: `uses \`${codeOf(loader)}\`, which constructs Python objects and was exploitable before PyYAML 5.4`,
      severity: 'medium',
      confidence: 'low',
    };
  }
  return {
    reason: `uses \`${codeOf(loader)}\`, which constructs arbitrary Python objects`,
    confidence: 'high',
  };
}

function verdict(call: CallSite, module: PythonModule): Verdict | undefined {
  const callee = call.callee;
  if (!callee) return undefined;
  if (ALWAYS_UNSAFE.has(callee)) return { reason: 'calls any function the data names while loading' };
  if (['yaml.load', 'yaml.load_all', 'yaml.full_load', 'yaml.full_load_all'].includes(callee)) {
    return yamlVerdict(call, module);
  }
  if (callee === 'shelve.open') {
    return { reason: 'unpickles every value it reads from the shelf', severity: 'medium', confidence: 'low' };
  }
  if (callee === 'numpy.load' && isConstantTrue(call.kwargs.get('allow_pickle'), module)) {
    return { reason: 'unpickles object arrays because of `allow_pickle=True`' };
  }
  if (callee === 'torch.load') {
    const weightsOnly = call.kwargs.get('weights_only');
    if (isConstantTrue(weightsOnly, module)) return undefined;
    if (isConstantFalse(weightsOnly, module)) {
      return { reason: 'unpickles the checkpoint because of `weights_only=False`', confidence: 'high' };
    }
    if (weightsOnly) return undefined; // decided at run time
    return {
      reason: 'unpickles the checkpoint unless PyTorch is 2.6 or later (no `weights_only=True`)',
      confidence: 'medium',
    };
  }
  return undefined;
}

export default defineRule({
  id: 'python/unsafe-deserialization',
  title: 'Deserialization that can run code',
  cwe: 502,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['pickle', 'dill', 'joblib', 'marshal', 'shelve', 'yaml', 'numpy', 'torch', 'pandas'],
  description:
    'pickle and the formats built on it (dill, joblib, shelve, pandas.read_pickle, numpy with ' +
    'allow_pickle, torch.load), marshal, jsonpickle and PyYAML with an unsafe loader reconstruct objects ' +
    'by calling code named in the data. Loading bytes an attacker can write or tamper with runs their code.' +
    ORIGIN_POLICY,
  fix:
    'Load untrusted data with a data-only format: json.loads(), yaml.safe_load(), ' +
    'numpy.load(allow_pickle=False), torch.load(weights_only=True); if pickle is unavoidable, ' +
    'authenticate the bytes (HMAC) before loading them.',
  example: {
    bad: 'config = yaml.load(request.data, Loader=yaml.Loader)',
    good: 'config = yaml.safe_load(request.data)',
  },
  taint: { tracedBy: 'check' },
  check({ file, module, report, taint }) {
    // Tests round-trip their own objects; nothing an attacker writes reaches them.
    if (isTestFile(file.path)) return;
    for (const call of module.calls) {
      const v = verdict(call, module);
      if (!v) continue;
      const data = call.args[0];
      // Literal bytes in the source are not attacker-controlled.
      if (data && constantValue(data, module) && call.callee !== 'shelve.open') continue;
      const label = callLabel(call, module);
      const tail = `${v.reason}; whoever can write that data can run code in this process.`;
      if (!data) {
        report({
          node: call.node,
          severity: v.severity,
          confidence: v.confidence,
          message: `${label} ${tail}`,
        });
        continue;
      }
      // The data's origin decides the finding: see helpers/origin.ts.
      reportByOrigin(originOf(data, module, taint, 502), taint, report, {
        node: call.node,
        head: (from) => `${label} on ${from}`,
        tail,
        flowNote: `reaches ${label} as serialized data`,
        unknownFrom: `non-constant \`${codeOf(data)}\``,
        ...(v.severity ? { severity: v.severity } : {}),
      });
    }
  },
});
