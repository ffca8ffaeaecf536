import { defineModel, sources } from '../concepts.js';

const REQUEST = 'bottle.request';

/** Bottle. */
export default defineModel({
  name: 'bottle',
  sources: [
    ...sources('http-request-input', 'parameters', {
      attributes: ['query', 'forms', 'params'].map((a) => `${REQUEST}.${a}`),
      calls: ['query.get', 'forms.get', 'params.get'].map((c) => `${REQUEST}.${c}`),
    }),
    ...sources('http-request-input', 'body', { attributes: [`${REQUEST}.json`] }),
    ...sources('http-request-input', 'cookies', { attributes: [`${REQUEST}.cookies`] }),
    ...sources('http-request-input', 'headers', { attributes: [`${REQUEST}.headers`] }),
    ...sources('http-request-input', 'files', { attributes: [`${REQUEST}.files`] }),
  ],
  routeDecorators: ['route', 'get', 'post', 'put', 'patch', 'delete'],
  // A route's returned string is the body of a text/html response.
  routeReturns: { constructors: ['bottle.Bottle'], returnedText: 'text/html', imports: ['bottle'] },
  // Its `<id:int>` filters parse the path segment.
  routeParameters: { typedConverters: ['int', 'float'] },
  // Its sources are read through `request`, already a source hint.
  unhintedSourcePackages: ['bottle'],
});
