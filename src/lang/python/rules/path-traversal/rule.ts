import { defineRule } from '../../../../rules/rule.js';

const FILE_CALLS = [
  'builtins.open',
  'io.open',
  'codecs.open',
  'os.open',
  'os.remove',
  'os.unlink',
  'os.rmdir',
  'os.removedirs',
  'os.mkdir',
  'os.makedirs',
  'os.listdir',
  'os.scandir',
  'os.chmod',
  'os.chown',
  'os.rename',
  'os.replace',
  'shutil.rmtree',
  'shutil.copy',
  'shutil.copy2',
  'shutil.copyfile',
  'shutil.copytree',
  'shutil.move',
  'pathlib.Path',
  'flask.send_file',
  'django.http.FileResponse',
];

export default defineRule({
  id: 'python/path-traversal',
  title: 'File path built from untrusted data',
  cwe: 22,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  description:
    'A file is opened, removed, copied or sent under a path that comes from the request or another ' +
    'source. With `../` segments or an absolute path the user reaches files outside the intended ' +
    'directory: configuration, keys, other users’ data.',
  fix:
    'Reduce the name to its last component (os.path.basename or werkzeug.utils.secure_filename), or ' +
    'resolve the path and check it stays under the base directory; flask.send_from_directory does both.',
  example: {
    bad: 'return send_file(os.path.join(UPLOADS, request.args["name"]))',
    good: 'return send_from_directory(UPLOADS, secure_filename(request.args["name"]))',
  },
  taint: {
    sinks: [
      {
        calls: FILE_CALLS,
        args: [0],
        keywords: ['file', 'path', 'path_or_file', 'filename'],
        what: 'file path',
      },
      {
        calls: ['os.rename', 'os.replace', 'shutil.copy', 'shutil.copy2', 'shutil.copyfile', 'shutil.move'],
        args: [1],
        keywords: ['dst'],
        what: 'destination path',
      },
    ],
    message: (hit) =>
      `${hit.sinkLabel} uses a ${hit.spec.what} built from ${hit.sourceText}; \`../\` or an absolute path in it reaches files outside the intended directory.`,
  },
});
