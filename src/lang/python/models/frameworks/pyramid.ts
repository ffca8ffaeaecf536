import { defineModel } from '../concepts.js';

/**
 * Pyramid and Cornice: what they set on a request for the application. (Pyramid's request data and
 * responses are not modelled yet; its request attributes of the same names as other frameworks'
 * are sources through those models.)
 */
export default defineModel({
  name: 'pyramid',
  // The registry, the matched route and its resource, Cornice's matched service.
  requestApplicationAttributes: ['registry', 'matched_route', 'context', 'root', 'current_service'],
  // WebOb's request, as Werkzeug's: the method parsed from the request line.
  requestTokenAttributes: ['method'],
});
