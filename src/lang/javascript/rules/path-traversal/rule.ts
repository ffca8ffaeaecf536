import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'javascript/path-traversal',
  title: 'File path built from request data',
  cwe: 22,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['fs', 'sendFile', 'download', '.file(', 'fork'],
  description:
    'Request data reaches the path of a file read, written or deleted with Node fs (callbacks, Sync and promises), or sent with res.sendFile without a root option, res.download, or h.file of Hapi (inert) without a confine folder, or names the module child_process.fork runs. With ../ or an absolute path the client reaches any file the service can. path.join and path.resolve keep the data; path.basename and encodeURIComponent remove separators; a path resolved (path.resolve, normalize, join, realpath) and checked to start with its folder stays in it. High confidence: the flow is proven.',
  fix: 'Take only the file name (path.basename), or resolve under a base folder and check the result starts with it; use res.sendFile(name, { root }).',
  taint: { concepts: ['file-access'] },
});
