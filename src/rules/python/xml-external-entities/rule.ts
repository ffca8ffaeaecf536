import { constantValue } from '../../../analysis/constant.js';
import { argument, codeOf } from '../../../analysis/helpers.js';
import { callLabel, isConstantTrue } from '../../../analysis/python-patterns.js';
import type { CallSite, PythonModule } from '../../../analysis/scope/python.js';
import { defineRule } from '../../rule.js';

/** lxml constructors that take `resolve_entities`. */
const LXML_PARSERS = new Set([
  'lxml.etree.XMLParser',
  'lxml.etree.ETCompatXMLParser',
  'lxml.etree.XMLPullParser',
  'lxml.etree.iterparse',
]);
/** lxml functions that use the default parser when none is given: argument position of `parser`. */
const LXML_PARSE = new Map([
  ['lxml.etree.parse', 1],
  ['lxml.etree.fromstring', 1],
  ['lxml.etree.XML', 1],
  ['lxml.etree.fromstringlist', 1],
]);
const EXTERNAL_FEATURES = new Set([
  'xml.sax.handler.feature_external_ges',
  'xml.sax.handler.feature_external_pes',
  'http://xml.org/sax/features/external-general-entities',
  'http://xml.org/sax/features/external-parameter-entities',
]);

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
  check({ module, report }) {
    for (const call of module.calls) {
      const callee = call.callee;
      if (callee && LXML_PARSERS.has(callee)) {
        const resolve = call.kwargs.get('resolve_entities');
        const value = resolve ? constantValue(resolve, module)?.value : undefined;
        if (value === true || value === 1) {
          report({
            node: call.node,
            message: `${callLabel(call, module)} is created with \`resolve_entities=True\`: external entities in the document are read from files or URLs.`,
          });
        } else if (!resolve && !call.hasSplat) {
          report({
            node: call.node,
            confidence: 'low',
            message: `${callLabel(call, module)} leaves \`resolve_entities\` at its default, which resolves external entities in older lxml releases (all before 5.0, some entry points until 6.1); pass resolve_entities=False.`,
          });
        }
        continue;
      }
      const parserPos = callee ? LXML_PARSE.get(callee) : undefined;
      if (parserPos !== undefined) {
        const source = call.args[0];
        if (argument(call, parserPos, 'parser') || call.hasSplat || !source || constantValue(source, module))
          continue;
        report({
          node: call.node,
          confidence: 'low',
          message: `${callLabel(call, module)} parses non-constant \`${codeOf(source)}\` with lxml's default parser, which resolves external entities before lxml 5.0; pass a parser with resolve_entities=False.`,
        });
        continue;
      }
      if (call.methodName === 'setFeature' && isConstantTrue(call.args[1], module)) {
        const feature = saxFeature(call, module);
        if (!feature) continue;
        report({
          node: call.node,
          message: `\`${codeOf(call.node.childForFieldName('function') ?? call.node, 50)}\` enables \`${feature.replace(/^.*[./]/, '')}\`: the SAX parser will read external entities from files or URLs.`,
        });
      }
    }
  },
});
