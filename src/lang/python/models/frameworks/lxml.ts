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
      // Before lxml 5.0 a parser resolves external entities unless constructed with
      // resolve_entities=False; 5.0 made 'internal' the default.
      concept: 'xml-parsing',
      calls: ['lxml.etree.XMLParser', 'lxml.etree.XMLPullParser'],
      args: [],
      keywords: [],
      what: 'parser',
      entitiesKeyword: 'resolve_entities',
      resolvesEntitiesByDefault: true,
      safeDefaultSince: { package: 'lxml', version: '5.0' },
    },
    {
      // These two kept resolving by default until lxml 6.1 (CVE-2026-41066).
      concept: 'xml-parsing',
      calls: ['lxml.etree.ETCompatXMLParser', 'lxml.etree.iterparse'],
      args: [],
      keywords: [],
      what: 'parser',
      entitiesKeyword: 'resolve_entities',
      resolvesEntitiesByDefault: true,
      safeDefaultSince: { package: 'lxml', version: '6.1' },
    },
    {
      // These use the default parser unless given one.
      concept: 'xml-parsing',
      calls: ['lxml.etree.parse', 'lxml.etree.fromstring', 'lxml.etree.XML', 'lxml.etree.fromstringlist'],
      parserArg: 1,
      resolvesEntitiesByDefault: true,
      safeDefaultSince: { package: 'lxml', version: '5.0' },
    },
  ],
});
