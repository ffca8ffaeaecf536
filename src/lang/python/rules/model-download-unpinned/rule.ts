import { constantValue } from '../../semantic/constant.js';
import { calleeLabel } from '../../helpers/calls.js';
import { stringValue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { defineRule } from '../../../../rules/rule.js';

/** Libraries whose `from_pretrained` downloads from the Hugging Face Hub. */
const HUB_LIBRARIES =
  /^(transformers|diffusers|peft|sentence_transformers|optimum|timm|huggingface_hub|setfit|accelerate)\./;
const DOWNLOADS = new Set([
  'huggingface_hub.hf_hub_download',
  'huggingface_hub.snapshot_download',
  'huggingface_hub.file_download.hf_hub_download',
  'datasets.load_dataset',
]);
/** `load_dataset` builders that read local files rather than a Hub repository. */
const LOCAL_BUILDERS = new Set([
  'csv',
  'json',
  'parquet',
  'text',
  'arrow',
  'imagefolder',
  'audiofolder',
  'pandas',
  'sql',
  'webdataset',
  'generator',
]);

export default defineRule({
  id: 'python/model-download-unpinned',
  title: 'Model or dataset downloaded from the Hub without a pinned revision',
  cwe: 494,
  severity: 'medium',
  confidence: 'medium',
  languages: ['python'],
  requires: ['from_pretrained', 'hf_hub_download', 'snapshot_download', 'load_dataset'],
  description:
    'A model, tokenizer, file or dataset is fetched from the Hugging Face Hub by name, without `revision=` set to ' +
    'a commit hash. Whatever the repository holds at run time is used: if its owner account is compromised or the ' +
    'branch is changed, the program loads different weights, and with pickle-based weights or ' +
    '`trust_remote_code=True`, runs different code.',
  fix: 'Pin revision= to a full commit hash of the repository (and prefer safetensors weights); update the hash deliberately after review.',
  example: {
    bad: 'model = AutoModel.from_pretrained("org/model")',
    good: 'model = AutoModel.from_pretrained("org/model", revision="5d0f2e8a7f1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d")',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const callee = call.callee ?? '';
      const pretrained = call.methodName === 'from_pretrained' && HUB_LIBRARIES.test(callee);
      if (!pretrained && !DOWNLOADS.has(callee)) continue;
      if (call.hasSplat) continue;
      const repoNode =
        call.kwargs.get('repo_id') ??
        call.kwargs.get('pretrained_model_name_or_path') ??
        call.kwargs.get('path') ??
        call.args[0];
      const repo = stringValue(repoNode, module);
      // Names that are not constants may be local directories; local paths and file builders are not downloads.
      if (repo === undefined || /^(\.{0,2}\/|~|[A-Za-z]:\\)/.test(repo) || LOCAL_BUILDERS.has(repo)) continue;
      const revision = call.kwargs.get('revision');
      const pinned = revision ? stringValue(revision, module) : undefined;
      if (revision && (pinned === undefined || /^[0-9a-f]{40}$/i.test(pinned))) continue;
      const remoteCode = call.kwargs.get('trust_remote_code');
      const runsCode = remoteCode !== undefined && constantValue(remoteCode, module)?.value === true;
      report({
        node: call.node,
        severity: runsCode ? 'high' : 'medium',
        message: `${calleeLabel(call)} fetches \`${repo}\` ${revision ? `at \`revision=${codeOf(revision, 30)}\`, a branch or tag that can move` : 'without a pinned `revision=`'}${runsCode ? ' and runs its code (`trust_remote_code=True`)' : ''}; a changed repository changes what is loaded.`,
      });
    }
  },
});
