import { constantValue } from '../../semantic/constant.js';
import { callLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { attributeAssignments } from '../../helpers/module.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
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
  check({ module, report }) {
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
        message: `${callLabel(call, module)} extracts ${how}: ${RISK}.`,
      });
    }
  },
});
