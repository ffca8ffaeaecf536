import { defineModel, sources } from '../concepts.js';

const REQUEST = 'cherrypy.request';

/**
 * CherryPy: a method marked `@cherrypy.expose` is a page handler; CherryPy fills its parameters from
 * the query string, the form body and the remaining path segments.
 */
export default defineModel({
  name: 'cherrypy',
  sources: [
    ...sources('http-request-input', 'parameters', { attributes: [`${REQUEST}.params`] }),
    ...sources('http-request-input', 'headers', { attributes: [`${REQUEST}.headers`] }),
    ...sources('http-request-input', 'cookies', { attributes: [`${REQUEST}.cookie`] }),
    ...sources('http-request-input', 'body', {
      attributes: [`${REQUEST}.body`, `${REQUEST}.json`],
      calls: [`${REQUEST}.body.read`],
    }),
    ...sources('http-request-input', 'url', {
      attributes: [`${REQUEST}.path_info`, `${REQUEST}.query_string`],
    }),
  ],
  routeDecorators: ['expose'],
  unhintedSourcePackages: ['cherrypy'],
});
