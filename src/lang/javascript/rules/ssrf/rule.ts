import { defineRule } from '../../../../rules/rule.js';

export default defineRule({
  id: 'javascript/ssrf',
  title: 'Outgoing request to a URL from request data',
  cwe: 918,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: ['fetch', 'axios', 'got', 'http', 'needle', 'undici'],
  description:
    'Request data chooses the URL of an outgoing HTTP request (fetch, node-fetch, axios, got, http(s).request/get, undici). The client makes the server call internal services or cloud metadata. Data appended after a constant scheme://host/ only picks a path on a server the code chose and is not reported, nor is a URL a validator accepted (isURLAllowed(url), also through a constant that holds the check: const allowed = isURLAllowed(url); if (allowed), or where either of two such checks passed; a project validator that returns what is wrong, such as an error message, accepted the URL where its result is empty: if (validateTarget(url)) return ...) or a request through a dispatcher, agent or DNS lookup named as an address filter (a safe dispatcher that refuses private addresses), nor a request a page script makes from its own address (the browser makes it, for the user). High confidence: the flow is proven.',
  fix: 'Fix the scheme and host in the code, or check the host against an allow-list before the request.',
  taint: { concepts: ['outgoing-http-request'] },
});
