import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'javascript/dom-xss',
  title: 'Page address or window name written into the page as HTML or a URL',
  cwe: 79,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['location', 'document.URL', 'documentURI', 'referrer', 'window.name', 'message'],
  description:
    'Browser code writes what the page address or the window holds (location.hash, location.search, location.href, document.URL, document.referrer, window.name), or the data of a window message listener that never reads the origin of the event, into the page as markup: innerHTML or outerHTML, document.write, insertAdjacentHTML, the html, append, prepend, after or before of jQuery, the dangerouslySetInnerHTML of React; or makes it a URL the browser follows (an href, location.assign or replace, window.open), where javascript: runs. Whoever makes the link the user opens runs script in the page (DOM-based XSS). A URL with a constant prefix (/search?q= + x) cannot become javascript: and is not reported; the address as the browser gives it is percent-encoded (no raw < > or ") and is markup-safe until decoded (decodeURIComponent, URLSearchParams). High confidence: the flow is proven.',
  fix: 'Write text with textContent (or let the framework escape it); sanitize markup with DOMPurify; give URLs a constant prefix or check that their scheme is http or https.',
  taint: { concepts: ['dom-html', 'dom-url'] },
});
