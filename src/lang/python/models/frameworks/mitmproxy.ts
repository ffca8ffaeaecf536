import { defineModel, requestAttributes } from '../concepts.js';

/**
 * mitmproxy: an addon's hooks (`request`, `requestheaders`, `http_connect`, ...) and a script's
 * functions take the flow of a connection through the proxy. A parameter annotated as a flow
 * (`flow: http.HTTPFlow`) holds it; its `request` (headers, path, content) is what the proxy's
 * client sent. The flow's other parts (its metadata, the connection objects) are the proxy's own.
 */
export default defineModel({
  name: 'mitmproxy',
  requestTypes: ['mitmproxy.http.HTTPFlow'],
  nestedRequestAttributes: ['request'],
  sourceHints: ['HTTPFlow'],
  sources: [
    ...requestAttributes('body', ['get_text', 'get_content', 'urlencoded_form', 'multipart_form']),
    // The request line and the Host header hold no line break: the proxy split the request at them.
    ...requestAttributes('url', ['pretty_url'], [93, 113, 117]),
  ],
});
