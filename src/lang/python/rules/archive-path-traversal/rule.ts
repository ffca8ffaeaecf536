import { constantValue } from '../../semantic/constant.js';
import { callLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { attributeAssignments } from '../../helpers/module.js';
import { originOf } from '../../helpers/origin.js';
import type { Node } from '../../../../parsing/parser.js';
import { withBindingAt, type CallSite, type PythonModule } from '../../semantic/scope.js';
import type { TaintQuery } from '../../../../dataflow/index.js';
import type { ReportDescriptor } from '../../../../rules/rule.js';
import type { Confidence } from '../../../../core/index.js';
import { defineRule } from '../../../../rules/rule.js';
import { manualExtractions, TAR_ARCHIVE } from './manual-extraction.js';

/** `extractall`/`extract` on a tar archive object. */
const TAR_EXTRACT = new RegExp(String.raw`^${TAR_ARCHIVE}\.(extractall|extract)$`);

/** The constant `filter=` value, `null` when absent, undefined when not constant (a callable). */
function filterValue(call: CallSite, module: PythonModule): string | null | undefined {
  const f = call.kwargs.get('filter');
  if (!f) return call.hasSplat ? undefined : null;
  const v = constantValue(f, module);
  if (v === undefined) return undefined;
  return typeof v.value === 'string' ? v.value : v.value === null ? null : undefined;
}

/**
 * The archive an extraction reads: the name or file object given to the call that opened the tar
 * file (directly, through a name bound once or a `with` block), or `unpack_archive`'s file name.
 */
function archiveOf(call: CallSite, module: PythonModule, isTar: boolean): Node | undefined {
  if (!isTar) return call.argument(0, 'filename');
  let opener = call.receiver;
  if (opener?.type === 'identifier') {
    const found = module.scopeOf(opener).lookup(opener.text);
    const only =
      found?.bindings.length === 1 ? found.bindings[0] : found && withBindingAt(found.bindings, opener);
    opener = only?.kind === 'value' || only?.kind === 'with' ? only.value : undefined;
  }
  const open = opener?.type === 'call' ? module.calls.find((c) => c.node.id === opener.id) : undefined;
  return open?.argument(0, 'name') ?? open?.kwargs.get('fileobj');
}

/**
 * What the archive's origin changes in a report: an archive proven to come from a request shows its
 * flow; one that whoever runs the program gives for the run (a command-line argument, a management
 * command's option, a prompt, the environment), also through the module's own calls of a private
 * function or method, is theirs to choose and reported low, unless the config distrusts the
 * operator (`taint.operator-input: untrusted`). A parameter of a function no traced caller calls is
 * low and low confidence, as the injection rules report an unknown origin. Any other archive (a
 * fixed or configured path, a download, a value not traced) is reported as written: its content may
 * be anyone's.
 */
function byOrigin(
  archive: Node | undefined,
  module: PythonModule,
  taint: TaintQuery,
  message: string,
): Pick<ReportDescriptor, 'message' | 'severity' | 'confidence' | 'confidenceReason' | 'flow' | 'sources'> {
  if (!archive) return { message };
  const origin = originOf(archive, module, taint, 22);
  if (origin.kind === 'attacker')
    return {
      message,
      flow: taint.flowTo(origin.trace, archive, 'opened as the archive'),
      sources: origin.trace.sources,
    };
  // A parameter no traced caller fills: whether an attacker's archive ever gets here is not shown.
  if (origin.kind === 'unknown' && origin.parameter)
    return {
      message: `${message.replace(/\.$/, '')}; the archive's origin is unknown: ${origin.why}.`,
      severity: 'low',
      confidence: 'low',
      confidenceReason: `matched in the code as written; ${origin.why}, so no untrusted archive is shown to reach it`,
    };
  if (origin.kind !== 'operator' || !origin.given || taint.options.operatorInput === 'untrusted')
    return { message };
  return {
    message: `${message.replace(/\.$/, '')}; the archive is ${origin.what}, which whoever runs the program chooses.`,
    severity: 'low',
    confidenceReason: `matched in the code as written; the archive is ${origin.what}, chosen by whoever runs the program (not a remote user)`,
  };
}

const RISK =
  'member names such as `../../home/app/.bashrc`, absolute paths and links can write files outside the target directory';

export default defineRule({
  id: 'python/archive-path-traversal',
  title: 'Archive extracted without a path filter',
  cwe: 22,
  severity: 'high',
  confidence: 'medium',
  languages: ['python'],
  requires: ['tarfile', 'unpack_archive', 'zipfile'],
  description:
    'tarfile writes each member to the path stored in the archive. Without an extraction filter, names ' +
    'with `..`, absolute paths, symlinks and hard links let an archive overwrite any file the process can ' +
    'write (configuration, code, SSH keys), and device files or set-uid bits are recreated as stored.',
  fix:
    "Pass filter='data' (Python 3.12+, backported to 3.8.17+): extractall(path, filter='data'); on older " +
    'Pythons check every member with os.path.realpath() against the destination before extracting.',
  example: {
    bad: 'tarfile.open(upload).extractall(dest)',
    good: 'tarfile.open(upload).extractall(dest, filter="data")',
  },
  taint: { tracedBy: 'check' },
  check({ module, report, taint }) {
    for (const found of manualExtractions(module)) {
      report({
        node: found.sink.node,
        message:
          `${callLabel(found.sink, module)} ${found.what} at a path built from the archive member name ` +
          `\`${found.member}\` (listed by \`${codeOf(found.listing, 40)}\`, line ${found.listing.startPosition.row + 1}) ` +
          'without checking that it stays in the destination: a member named `../../home/app/.bashrc` or `/etc/cron.d/x` ' +
          'writes outside it (zip slip).',
        fix:
          'Resolve the joined path (os.path.realpath) and check it is inside the resolved destination ' +
          "(os.path.commonpath) before writing, or use the library's extract(), which cleans member names.",
      });
    }
    // `TarFile.extraction_filter = staticmethod(tarfile.data_filter)` sets a default for the process.
    if (attributeAssignments(module, 'extraction_filter').length > 0) return;
    for (const call of module.calls) {
      const callee = call.callee;
      if (!callee) continue;
      const isTar = TAR_EXTRACT.test(callee);
      if (!isTar && callee !== 'shutil.unpack_archive') continue;
      const filter = filterValue(call, module);
      if (filter === undefined || filter === 'data' || filter === 'tar') continue;
      let confidence: Confidence = filter === 'fully_trusted' ? 'high' : 'medium';
      if (isTar) {
        // extractall(members=safe_members(tar)): the caller filters; that is not judged here.
        if (callee.endsWith('.extractall') && (call.kwargs.has('members') || call.args.length > 1)) continue;
      } else {
        const format = call.argument(2, 'format');
        const formatValue = format ? constantValue(format, module)?.value : undefined;
        const name = call.args[0] ? constantValue(call.args[0], module)?.value : undefined;
        if (formatValue === 'zip' || (typeof name === 'string' && /\.zip$/i.test(name))) continue;
        if (filter === null) confidence = 'low'; // may be a zip file, which zipfile sanitizes
      }
      const how =
        filter === 'fully_trusted'
          ? `with \`filter=${codeOf(call.kwargs.get('filter') ?? call.node)}\``
          : "without `filter=` (only Python 3.14 defaults to 'data')";
      report({
        node: call.node,
        confidence,
        ...byOrigin(
          archiveOf(call, module, isTar),
          module,
          taint,
          `${callLabel(call, module)} extracts ${how}: ${RISK}.`,
        ),
      });
    }
  },
});
