import { isTestFile } from '../../test-files.js';
import { constantValue } from '../../semantic/constant.js';
import { callLabel, writtenCallee } from '../../helpers/calls.js';
import { isConstantTrue } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { writtenText } from '../../helpers/strings.js';
import type { SinkOf } from '../../models/concepts.js';
import { sinksByCallee, sinksOf } from '../../models/index.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import { compareVersions, type ProjectFacts } from '../../../../core/index.js';
import { describeSource } from '../../../../dataflow/index.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** The models' XML parsers that resolve external entities unless told not to, by callee. */
const PARSERS = new Map(
  [...sinksByCallee('xml-parsing')].filter(([, sink]) => sink.resolvesEntitiesByDefault),
);
/** The models' feature switches (`setFeature`) and the features that turn entity resolution on. */
const FEATURE_SINKS = sinksOf('xml-parsing').filter((sink) => sink.entityFeatures?.length);
const FEATURE_SETTERS = new Set(
  FEATURE_SINKS.flatMap((s) => (s.calls ?? []).filter((c) => c.startsWith('.')).map((c) => c.slice(1))),
);
const EXTERNAL_FEATURES: ReadonlySet<string> = new Set(FEATURE_SINKS.flatMap((s) => s.entityFeatures ?? []));

/** Calls and methods that return their (first) text with the same beginning. */
const SAME_START_CALLS = new Set(['textwrap.dedent', 'inspect.cleandoc']);
const SAME_START_METHODS = new Set(['format', 'encode', 'strip', 'lstrip', 'rstrip']);

/**
 * Whether a document is built by the program from a template whose constant beginning already
 * opens the root element (`textwrap.dedent('<domain>...')`, `'<disk type="%s">' % kind`): a DTD
 * can only come before the root element, so values put in later cannot declare entities.
 */
function opensRootElement(node: Node, module: PythonModule, depth = 0): boolean {
  if (depth > 8) return false;
  switch (node.type) {
    case 'string':
    case 'concatenated_string': {
      // The literal's text up to its first interpolation.
      const text = writtenText(node)
        .split('\0')[0]
        .replace(/^\s*(<\?xml[^>]*\?>)?\s*/, '')
        .replace(/^(<!--[\s\S]*?-->\s*)*/, '');
      return /^<[A-Za-z_]/.test(text);
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return !!inner && opensRootElement(inner, module, depth + 1);
    }
    case 'binary_operator': {
      const left = node.childForFieldName('left');
      const op = node.childForFieldName('operator')?.text;
      return (op === '%' || op === '+') && !!left && opensRootElement(left, module, depth + 1);
    }
    case 'identifier': {
      const value = module.singleValue(node);
      return !!value && opensRootElement(value, module, depth + 1);
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      if (fn && SAME_START_CALLS.has(module.qualifiedName(fn) ?? '')) {
        return !!args[0] && opensRootElement(args[0], module, depth + 1);
      }
      const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      return !!object && SAME_START_METHODS.has(method ?? '') && opensRootElement(object, module, depth + 1);
    }
    default:
      return false;
  }
}

/**
 * What the project's manifests say about the library version behind a default that changed:
 * `safe` when every version they allow has the safe default, `old` when they allow one without it,
 * `unknown` when the library is not declared or not constrained. With the reason, for the finding.
 */
function declaredDefault(
  sink: SinkOf<'xml-parsing'>,
  project: ProjectFacts,
): { verdict: 'safe' | 'old' | 'unknown'; reason: string } {
  const since = sink.safeDefaultSince;
  if (!since) return { verdict: 'old', reason: 'the parser resolves external entities by default' };
  const declared = project.dependencies[since.package];
  const safeFrom = `${since.package} ${since.version} and later do not`;
  if (!declared || declared.kind === 'any') {
    return {
      verdict: 'unknown',
      reason: `the project's manifests pin no ${since.package} version (${safeFrom} resolve external entities by default)`,
    };
  }
  const allows = declared.kind === 'exact' ? `pins ${declared.version}` : `allows ${declared.version}`;
  if (compareVersions(declared.version, since.version) >= 0) {
    return {
      verdict: 'safe',
      reason: `the project ${allows}; ${safeFrom} resolve external entities by default`,
    };
  }
  return {
    verdict: 'old',
    reason: `the project ${allows} of ${since.package}, whose default resolves external entities (${safeFrom})`,
  };
}

/** The SAX feature a `setFeature` argument names, by qualified name or by its URI value. */
function saxFeature(call: CallSite, module: PythonModule): string | undefined {
  const f = call.args[0];
  if (!f) return undefined;
  const q = module.qualifiedName(f);
  if (q && EXTERNAL_FEATURES.has(q)) return q;
  const v = constantValue(f, module);
  return typeof v?.value === 'string' && EXTERNAL_FEATURES.has(v.value) ? v.value : undefined;
}

export default defineRule({
  id: 'python/xml-external-entities',
  title: 'XML parser resolves external entities',
  cwe: 611,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['lxml', 'setFeature'],
  description:
    'A parser that resolves external entities lets the document pull in any file or URL it names ' +
    '(`<!ENTITY x SYSTEM "file:///etc/passwd">`): local files end up in the parsed data, and the ' +
    'server can be made to send requests into its own network.',
  fix:
    'Parse untrusted XML with defusedxml, or construct the lxml parser with ' +
    'resolve_entities=False (and keep no_network=True, load_dtd=False); never enable ' +
    'feature_external_ges/feature_external_pes on SAX parsers.',
  example: {
    bad: 'tree = etree.fromstring(body, etree.XMLParser(resolve_entities=True))',
    good: 'tree = defusedxml.lxml.fromstring(body)',
  },
  // Reports parser settings too, and documents only when the default parser reads them: the check
  // traces the sinks.
  taint: { concepts: ['xml-parsing'], tracedBy: 'check' },
  check({ file, module, report, taint, project }) {
    // Tests parse documents they wrote or fakes of the services they stand in for.
    const inTests = isTestFile(file.path);
    for (const call of module.calls) {
      const sink = call.callee ? PARSERS.get(call.callee) : undefined;
      if (sink?.entitiesKeyword) {
        const resolve = call.kwargs.get(sink.entitiesKeyword);
        const value = resolve ? constantValue(resolve, module)?.value : undefined;
        if (value === true || value === 1) {
          report({
            node: call.node,
            message: `${callLabel(call, module)} is created with \`resolve_entities=True\`: external entities in the document are read from files or URLs.`,
          });
        } else if (!resolve && !call.hasSplat) {
          const version = declaredDefault(sink, project);
          if (version.verdict === 'safe') continue;
          report({
            node: call.node,
            confidence: version.verdict === 'old' ? 'medium' : 'low',
            confidenceReason: version.reason,
            message: `${callLabel(call, module)} leaves \`resolve_entities\` at its default, which resolves external entities in older lxml releases (all before 5.0, some entry points until 6.1): ${version.reason}; pass resolve_entities=False.`,
          });
        }
        continue;
      }
      const parserPos = sink?.parserArg;
      if (sink && parserPos !== undefined) {
        const source = call.args[0];
        if (call.argument(parserPos, 'parser') || call.hasSplat || !source || constantValue(source, module))
          continue;
        const version = declaredDefault(sink, project);
        if (version.verdict === 'safe') continue;
        const t = taint.trace(source, { cwe: 611 });
        if (t.kind === 'tainted') {
          const from = describeSource(t.sources[0]);
          const code = `\`${codeOf(source)}\``;
          const what = from.startsWith(code) ? from : `${code}, built from ${from},`;
          report({
            node: call.node,
            confidence: version.verdict === 'old' ? 'high' : 'low',
            confidenceReason: `proven flow from ${from}; ${version.reason}`,
            message: `${callLabel(call, module)} parses ${what} with lxml's default parser, which resolves external entities before lxml 5.0 (${version.reason}); pass a parser with resolve_entities=False.`,
            flow: taint.flowTo(t, call.node, `parsed by ${callLabel(call, module)}`),
            sources: t.sources,
          });
          continue;
        }
        if (t.kind !== 'unknown' || inTests || opensRootElement(source, module)) continue;
        report({
          node: call.node,
          confidence: 'low',
          confidenceReason: `origin of the document unknown; ${version.reason}`,
          message: `${callLabel(call, module)} parses non-constant \`${codeOf(source)}\` with lxml's default parser, which resolves external entities before lxml 5.0 (${version.reason}); pass a parser with resolve_entities=False.`,
        });
        continue;
      }
      if (call.methodName && FEATURE_SETTERS.has(call.methodName) && isConstantTrue(call.args[1], module)) {
        const feature = saxFeature(call, module);
        if (!feature) continue;
        report({
          node: call.node,
          message: `\`${writtenCallee(call)}\` enables \`${feature.replace(/^.*[./]/, '')}\`: the SAX parser will read external entities from files or URLs.`,
        });
      }
    }
  },
});
