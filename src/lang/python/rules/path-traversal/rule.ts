import { defineRule } from '../../../../rules/rule.js';
import { operatorInputIsLow } from '../../helpers/operator.js';

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
    concepts: ['file-access'],
    ...operatorInputIsLow,
    message: (hit) =>
      `${hit.sinkLabel} uses a ${hit.spec.what} built from ${hit.sourceText}; \`../\` or an absolute path in it reaches files outside the intended directory.`,
  },
});
