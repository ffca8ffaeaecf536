import { defineModel } from '../concepts.js';

/** lxml. */
export default defineModel({
  name: 'lxml',
  sinks: [
    {
      concept: 'xpath-query',
      calls: ['.xpath', 'lxml.etree.XPath', 'lxml.etree.ETXPath'],
      keywords: ['path'],
    },
    {
      // Before lxml 5.0 (some entry points until 6.1) a parser resolves external entities unless
      // constructed with resolve_entities=False.
      concept: 'xml-parsing',
      calls: [
        'lxml.etree.XMLParser',
        'lxml.etree.ETCompatXMLParser',
        'lxml.etree.XMLPullParser',
        'lxml.etree.iterparse',
      ],
      args: [],
      keywords: [],
      what: 'parser',
      entitiesKeyword: 'resolve_entities',
      resolvesEntitiesByDefault: true,
    },
    {
      // These use the default parser unless given one.
      concept: 'xml-parsing',
      calls: ['lxml.etree.parse', 'lxml.etree.fromstring', 'lxml.etree.XML', 'lxml.etree.fromstringlist'],
      parserArg: 1,
      resolvesEntitiesByDefault: true,
    },
  ],
});
