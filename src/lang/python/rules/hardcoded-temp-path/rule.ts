import { calleeLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { literalPrefix } from '../../helpers/strings.js';
import { defineRule } from '../../../../rules/rule.js';

/** Shared, world-writable directories where other users can create files first. */
const SHARED_TMP = /^(\/tmp|\/var\/tmp|\/dev\/shm|\/usr\/tmp)(\/|$)/;

/** Calls that create, open or write a path given as (one of) their arguments. */
const FILE_CALLS = new Set([
  'builtins.open',
  'io.open',
  'codecs.open',
  'os.open',
  'os.mkdir',
  'os.makedirs',
  'os.mkfifo',
  'os.symlink',
  'os.rename',
  'os.replace',
  'pathlib.Path',
  'pathlib.PosixPath',
  'shutil.copy',
  'shutil.copy2',
  'shutil.copyfile',
  'shutil.copytree',
  'shutil.move',
  'tarfile.open',
  'zipfile.ZipFile',
  'sqlite3.connect',
  'logging.FileHandler',
  'logging.handlers.RotatingFileHandler',
  'logging.handlers.WatchedFileHandler',
  'logging.basicConfig',
  'numpy.save',
  'numpy.savez',
  'pickle.dump',
  'tempfile.TemporaryDirectory',
]);

export default defineRule({
  id: 'python/hardcoded-temp-path',
  title: 'Predictable file name in a shared temporary directory',
  cwe: 377,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['/tmp', '/var/tmp', '/dev/shm'],
  description:
    'A file or directory with a fixed or guessable name is created or opened in /tmp, /var/tmp or /dev/shm. Every ' +
    'local user can write there: one who creates the name first (or a symbolic link with that name) can make the ' +
    'program write into a file of their choosing, read what it writes, or feed it crafted content.',
  fix: 'Create temporary files and directories with the tempfile module (NamedTemporaryFile, mkstemp, TemporaryDirectory), which picks unpredictable names and safe permissions.',
  example: {
    bad: 'with open("/tmp/report.csv", "w") as f:\n    f.write(data)',
    good: 'with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:\n    f.write(data)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (!call.callee || !FILE_CALLS.has(call.callee)) continue;
      // tempfile's dir= only chooses where its random names go.
      const candidates = call.callee.startsWith('tempfile.')
        ? []
        : [
            ...call.args,
            ...[...call.kwargs.entries()]
              .filter(([k]) => /file|path|dst|name|database/.test(k))
              .map(([, v]) => v),
          ];
      for (const a of candidates) {
        const prefix = literalPrefix(a, module);
        if (!SHARED_TMP.test(prefix)) continue;
        report({
          node: call.node,
          message: `${calleeLabel(call)} uses the predictable path \`${codeOf(a, 50)}\`${a.type === 'string' ? '' : ` (starting '${prefix}')`} in a shared temporary directory; another local user can create or link that name first.`,
        });
        break;
      }
    }
  },
});
