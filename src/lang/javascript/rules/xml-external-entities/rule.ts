import { codeOf } from '../../../../rules/messages.js';
import { defineRule } from '../../../../rules/rule.js';
import { callLabel } from '../../helpers/calls.js';
import { optionAt } from '../../helpers/objects.js';

/** libxml2 bindings whose parse calls take libxml2's options object (`noent`, `dtdload`). */
const PARSERS = new Set(
  ['libxmljs', 'libxmljs2'].flatMap((m) => [
    `${m}.parseXml`,
    `${m}.parseXmlString`,
    `${m}.parseXmlAsync`,
    `${m}.Document.fromXml`,
  ]),
);

export default defineRule({
  id: 'javascript/xml-external-entities',
  title: 'XML parser expands external entities',
  cwe: 611,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['noent'],
  description:
    "libxml2's `noent` option substitutes entities, external ones included: a document that declares " +
    '`<!ENTITY x SYSTEM "file:///etc/passwd">` gets the file read into it, or makes the server fetch a ' +
    "URL of the attacker's choice (SSRF). libxmljs leaves entities alone unless `noent: true` is given.",
  fix: 'Drop `noent: true` (the default keeps entities unexpanded); if entities are needed, parse only trusted documents.',
  example: {
    bad: 'const doc = libxmljs.parseXml(body, { noent: true });',
    good: 'const doc = libxmljs.parseXml(body);',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      if (call.callee === undefined || !PARSERS.has(call.callee)) continue;
      const options = call.argument(1);
      const property = options ? optionAt(options, ['noent'], module) : undefined;
      if (!property || module.constantValue(property.value) !== true) continue;
      report({
        node: property.node,
        message: `\`${codeOf(property.node)}\` in the options of ${callLabel(call, module)}: external entities of the document are expanded, so a document can read local files or make the server fetch URLs.`,
      });
    }
  },
});
