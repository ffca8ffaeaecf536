import { compareVersions, type ProjectFacts } from '../../../../core/index.js';
import { describeSource, type TaintQuery } from '../../../../dataflow/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule, type ReportDescriptor } from '../../../../rules/rule.js';
import { writtenCallee } from '../../helpers/calls.js';
import { isConstantish } from '../../helpers/constants.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { codeOf } from '../../helpers/messages.js';
import { importsAny } from '../../helpers/module.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';

/**
 * GitPython's command object (`repo.git`, `git.Git(path)`): any other attribute is a git
 * subcommand (`repo.git.log(...)` runs `git log ...`), whose positional arguments are passed on as
 * they are. These attributes are the object's own methods and run no subcommand of that name.
 */
const OWN_METHODS = new Set([
  'execute',
  'clear_cache',
  'update_environment',
  'custom_environment',
  'set_persistent_git_options',
  'version_info',
  'get_object_header',
  'get_object_data',
  'stream_object_data',
  'transform_kwargs',
  'refresh',
  'polish_url',
  'is_cygwin',
  'working_dir',
  'environment',
]);

/** Qualified names of a GitPython command object's subcommand calls. */
const COMMAND_CALLEE =
  /^git(?:\.repo(?:\.base)?)?\.Repo(?:\.\w+)?\(\)\.git\.(\w+)$|^git(?:\.cmd)?\.Git\(\)\.(\w+)$/;

/** `Repo.clone_from(url, to_path)` and `repo.clone(path)`: the URL (or path) and `multi_options`. */
const CLONE_CALLEE = /^git(?:\.repo(?:\.base)?)?\.Repo(?:\(\))?\.(clone_from|clone)$/;

/** Subcommands with an option that runs a program or writes a file the option names. */
const DANGEROUS_OPTIONS: Record<string, string> = {
  fetch: '`--upload-pack=<command>` runs a command',
  pull: '`--upload-pack=<command>` runs a command',
  clone: '`--upload-pack=<command>` runs a command',
  ls_remote: '`--upload-pack=<command>` runs a command',
  push: '`--receive-pack=<command>` runs a command',
  archive: '`--remote` with `--exec=<command>` runs a command, and `--output=<file>` writes a file',
  grep: '`--open-files-in-pager=<command>` runs a command',
  log: '`--output=<file>` writes a file',
  diff: '`--output=<file>` writes a file',
  show: '`--output=<file>` writes a file',
  format_patch: '`--output-directory=<dir>` writes files',
};

/** GitPython checks clone URLs and options (and puts `--` before the URL) from this version on. */
const CHECKED_SINCE = '3.1.30';

export default defineRule({
  id: 'python/git-argument-injection',
  title: 'Request data passed to a git command as an argument (option injection)',
  cwe: 88,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['git'],
  description:
    "GitPython runs git without a shell, but passes the positional arguments of its command methods (`repo.git.log(rev)`, `git.Git(path).grep(q)`) to git unchanged. A value from the request that starts with `-` is read as an option of the subcommand: `--output=<file>` makes `git log`/`git diff` write a file, `--upload-pack=<command>` makes `git fetch`/`git ls-remote` run a command, `--open-files-in-pager=<command>` does so for `git grep`. GitPython's `Repo.clone_from(url)` passed the URL the same way before 3.1.30 (`--upload-pack`, and the `ext::` transport, which runs a command).",
  fix: 'Put `--end-of-options` (or `--` where the subcommand takes paths there) before the value, reject values that start with `-`, or check them against what they must be (a commit id, an existing branch name). Keep GitPython at 3.1.30 or later and do not pass `allow_unsafe_protocols`/`allow_unsafe_options`.',
  example: {
    bad: 'repo.git.log(request.args["rev"])',
    good: 'repo.git.log("--end-of-options", request.args["rev"])',
  },
  taint: { tracedBy: 'check' },
  check({ module, report, taint, project }) {
    const gitpython = importsAny(module, ['git']);
    for (const call of module.calls) {
      const clone = call.callee ? CLONE_CALLEE.exec(call.callee) : null;
      if (clone) {
        checkClone(call, clone[1], module, taint, project, report);
        continue;
      }
      const command = subcommand(call, gitpython);
      if (!command) continue;
      const argument = injectedArgument(call, module, taint);
      if (!argument) continue;
      const { node, hit } = argument;
      const danger = DANGEROUS_OPTIONS[command];
      report({
        node: call.node,
        severity: danger ? 'high' : 'medium',
        message:
          `\`${writtenCallee(call, 40)}\` runs \`git ${command.replaceAll('_', '-')}\` with ${valueFrom(node, hit)} as an argument; ` +
          `a value starting with \`-\` is read as an option of the subcommand` +
          (danger ? ` (${danger}).` : ', which changes what the command does.'),
        flow: taint.flowTo(hit, node, `passed to git ${command.replaceAll('_', '-')} as an argument`),
      });
    }
  },
});

type Hit = Extract<ReturnType<TaintQuery['trace']>, { kind: 'tainted' }>;

/** "`rev` from `request.args["rev"]` (line 12)", or only the source when the value is written as it. */
function valueFrom(node: Node, hit: Hit): string {
  const source = describeSource(hit.sources[0]);
  const code = codeOf(node, 40);
  return source.startsWith(`\`${code}\``) ? source : `\`${code}\` from ${source}`;
}

/** The git subcommand a call of a GitPython command object runs, if it is one. */
function subcommand(call: CallSite, gitpython: boolean): string | undefined {
  const m = call.callee ? COMMAND_CALLEE.exec(call.callee) : null;
  const name = m ? (m[1] ?? m[2]) : undefined;
  if (name) return OWN_METHODS.has(name) || name.startsWith('_') ? undefined : name;
  // `self.repo.git.log(...)`, `repo.git.log(...)` with a repository the module got elsewhere.
  const method = call.methodName;
  const receiver = call.receiver;
  if (!gitpython || !method || receiver?.type !== 'attribute') return undefined;
  if (receiver.childForFieldName('attribute')?.text !== 'git') return undefined;
  return OWN_METHODS.has(method) || method.startsWith('_') ? undefined : method;
}

/**
 * The first positional argument (or element of a list argument, which GitPython flattens) that the
 * request reaches, before any `--` or `--end-of-options` that ends the options, and that the
 * function does not check for a leading `-`.
 */
function injectedArgument(
  call: CallSite,
  module: PythonModule,
  taint: TaintQuery,
): { node: Node; hit: Hit } | undefined {
  const values = call.args.flatMap((a) => (a.type === 'list' || a.type === 'tuple' ? a.namedChildren : [a]));
  for (const value of values) {
    if (!value || value.type === 'comment') continue;
    if (/^[rbu]?["'](--|--end-of-options)["']$/i.test(value.text)) return undefined;
    if (value.type === 'list_splat' || value.type === 'keyword_argument') continue;
    if (isConstantish(value, module)) continue;
    const hit = taint.trace(value, { cwe: 88, trust: ['user'] });
    if (hit.kind !== 'tainted' || checksLeadingDash(value, call.node)) continue;
    return { node: value, hit };
  }
  return undefined;
}

/** Whether the function tests the value for a leading `-` before the call (`if rev.startswith("-")`). */
function checksLeadingDash(value: Node, at: Node): boolean {
  const fn = enclosingFunction(at);
  if (!fn || value.type !== 'identifier') return false;
  const name = value.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const test = new RegExp(
    `\\b${name}(\\.\\w+\\(\\))*\\.startswith\\(\\s*\\(?\\s*[rbu]?["']-|\\b${name}\\[0\\]\\s*[!=]=\\s*[rbu]?["']-["']`,
  );
  const before = fn.text.slice(0, at.startIndex - fn.startIndex);
  return test.test(before);
}

/**
 * `Repo.clone_from(url, ...)`: before GitPython 3.1.30 the URL went to `git clone` without `--` and
 * without a check of the transport, and `multi_options` unchecked; later versions check both unless
 * told not to (`allow_unsafe_protocols=True`, `allow_unsafe_options=True`).
 */
function checkClone(
  call: CallSite,
  method: string,
  module: PythonModule,
  taint: TaintQuery,
  project: ProjectFacts,
  report: (d: ReportDescriptor) => void,
): void {
  const url = method === 'clone_from' ? call.argument(0, 'url') : call.argument(0, 'path');
  const options = call.kwargs.get('multi_options');
  const unsafe = (k: string): boolean => call.kwargs.get(k)?.text === 'True';
  const traced = [
    { node: url, what: method === 'clone_from' ? 'URL' : 'path', allowed: unsafe('allow_unsafe_protocols') },
    { node: options, what: '`multi_options`', allowed: unsafe('allow_unsafe_options') },
  ];
  const declared = project.dependencies['gitpython'];
  const known = declared && declared.kind !== 'any' ? declared : undefined;
  const old =
    known && compareVersions(known.version, CHECKED_SINCE) < 0
      ? `the project ${known.kind === 'exact' ? 'pins' : 'allows'} GitPython ${known.version}`
      : undefined;
  for (const { node, what, allowed } of traced) {
    if (!node || isConstantish(node, module)) continue;
    // Every version the manifests allow checks the value.
    if (known && !old && !allowed) continue;
    const hit = taint.trace(node, { cwe: 88, trust: ['user'] });
    if (hit.kind !== 'tainted') continue;
    const why = allowed
      ? `the call turns GitPython's check of it off`
      : old
        ? `${old}, which does not check it (${CHECKED_SINCE} and later do)`
        : undefined;
    const effect =
      what === '`multi_options`'
        ? 'options such as `--upload-pack=<command>` or `--config core.sshCommand=<command>` run a command'
        : 'a value like `--upload-pack=<command>` is read as an option, and an `ext::<command>` URL runs a command';
    report({
      node: call.node,
      severity: why ? 'high' : 'low',
      confidence: why ? 'high' : 'medium',
      message:
        `\`${writtenCallee(call, 40)}\` clones with the ${what} ${valueFrom(node, hit)}: ${effect}; ` +
        (why
          ? `${why}.`
          : `GitPython ${CHECKED_SINCE} and later refuse these unless told otherwise, and the project's manifests do not say which version is used.`),
      flow: taint.flowTo(hit, node, `passed to git clone`),
    });
  }
}
