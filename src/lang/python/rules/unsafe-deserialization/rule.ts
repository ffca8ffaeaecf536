import { isTestFile } from '../../test-files.js';
import { constantValue } from '../../semantic/constant.js';
import { callLabel } from '../../helpers/calls.js';
import { isConstantFalse, isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Confidence, Severity } from '../../../../core/index.js';
import { defineRule } from '../../../../rules/rule.js';
import { sinksByCallee } from '../../models/index.js';
import type { LoaderOption, LoaderOutcome } from '../../../../dataflow/concepts.js';
import { ORIGIN_POLICY, originOf, reportByOrigin } from '../../helpers/origin.js';
import { callsInClass, keyRejectedBefore, tableClasses, tableLookups } from '../../helpers/loader-tables.js';
import type { ReportDescriptor } from '../../../../rules/rule.js';
import type { TaintQuery } from '../../../../dataflow/query.js';

/** The models' loaders by qualified callee. */
const LOADERS = sinksByCallee('deserialization');

interface Verdict {
  reason: string;
  severity?: Severity;
  confidence?: Confidence;
  /** The data is read from a file the argument names. */
  readsFile?: boolean;
}

/** What the loader's option, as this call passes it, makes loading do; undefined: not judged. */
function optionOutcome(
  option: LoaderOption,
  call: CallSite,
  module: PythonModule,
): LoaderOutcome | undefined {
  const value =
    option.arg !== undefined ? call.argument(option.arg, option.keyword) : call.kwargs.get(option.keyword);
  if (!value) return option.missing;
  if (option.named) {
    const q = module.qualifiedName(value);
    const prefix = `${option.named.module}.`;
    if (q?.startsWith(prefix)) return option.named.outcomes[q.slice(prefix.length)] ?? option.named.other;
  }
  if (option.whenTrue && isConstantTrue(value, module)) return option.whenTrue;
  if (option.whenFalse && isConstantFalse(value, module)) return option.whenFalse;
  return undefined; // decided at run time, or the program's own loader
}

function verdict(call: CallSite, module: PythonModule): Verdict | undefined {
  const loader = call.callee ? LOADERS.get(call.callee) : undefined;
  if (!loader) return undefined;
  const outcome: LoaderOutcome | undefined =
    loader.runsCode === 'by-option'
      ? loader.option && optionOutcome(loader.option, call, module)
      : {
          how: loader.how ?? 'calls any function the data names while loading',
          runsCode: loader.runsCode === 'before-fix' ? 'before-fix' : undefined,
        };
  if (!outcome || outcome === 'safe') return undefined;
  const option = loader.option && call.argument(loader.option.arg ?? -1, loader.option.keyword);
  const reason = outcome.how.replace('{value}', option ? codeOf(option) : '');
  // Only old library versions run code, or the file is most often the program's own store.
  if (outcome.runsCode === 'before-fix' || loader.readsFile)
    return { reason, severity: 'medium', confidence: 'low', readsFile: loader.readsFile };
  return { reason, confidence: outcome.runsCode === 'explicitly' ? 'high' : undefined };
}

/**
 * A loader picked from a table of classes by a key the client sends (`SERDES.get(content_type)`):
 * when an entry of the table loads with pickle, the client chooses that entry and so how its data
 * is loaded (the loader's own finding, inside the class, does not show where the choice is made).
 * A key rejected before the lookup (`if key == PICKLE: raise`) is the code's choice again.
 */
function checkChosenLoaders(
  module: PythonModule,
  taint: TaintQuery,
  report: (d: ReportDescriptor) => void,
): void {
  for (const lookup of tableLookups(module)) {
    // The dataflow's answer first: most lookups' keys are the program's own.
    if (taint.trace(lookup.key, { cwe: 502 }).kind !== 'tainted' || keyRejectedBefore(lookup, module))
      continue;
    const entries = tableClasses(lookup, module);
    if (!entries || entries.length < 2) continue;
    const origin = originOf(lookup.key, module, taint, 502);
    if (origin.kind !== 'attacker') continue;
    let loader: { entry: string; call: CallSite; reason: string; module: PythonModule } | undefined;
    for (const entry of entries)
      for (const call of callsInClass(entry)) {
        const v = verdict(call, entry.module);
        if (v && !v.readsFile && v.confidence !== 'low')
          loader ??= { entry: entry.name, call, reason: v.reason, module: entry.module };
      }
    if (!loader) continue;
    const table = codeOf(lookup.table);
    const label = callLabel(loader.call, loader.module);
    reportByOrigin(origin, taint, report, {
      node: lookup.node,
      head: (from) => `\`${table}\` picks the loader by ${from}`,
      tail:
        `one of its entries, \`${loader.entry}\`, loads with ${label}, which ${loader.reason}: ` +
        'a client that names that entry has its data loaded that way and can run code in this process.',
      flowNote: `picks an entry of \`${table}\`, which holds \`${loader.entry}\` (${label})`,
      unknownFrom: `non-constant \`${codeOf(lookup.key)}\``,
    });
  }
}

export default defineRule({
  id: 'python/unsafe-deserialization',
  title: 'Deserialization that can run code',
  cwe: 502,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: [
    ...['pickle', 'dill', 'joblib', 'marshal', 'shelve', 'yaml', 'numpy', 'torch', 'pandas'],
    // A loader picked by the request's media type from a table another module holds.
    ...['Content-Type', 'content-type', 'content_type', 'media_type', 'mimetype'],
  ],
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
    checkChosenLoaders(module, taint, report);
    for (const call of module.calls) {
      const v = verdict(call, module);
      if (!v) continue;
      const data = call.args[0];
      // Literal bytes in the source are not attacker-controlled.
      if (data && constantValue(data, module) && !v.readsFile) continue;
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
