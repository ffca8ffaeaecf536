import { defineModel, OWN_URL, sanitizers, sources, type FrameworkModel } from '../concepts.js';
import { RESPONSE_CONTENT_TYPE_ARGUMENTS, RESPONSE_CONTENT_TYPE_ATTRIBUTES } from './werkzeug.js';
import { INJECTION_CWES } from '../../../../dataflow/concepts.js';

/**
 * Decorators of an application's or blueprint's URL value preprocessors. Not `url_defaults`: those
 * get the values the application passes to `url_for`.
 */
const VALUE_PREPROCESSORS = ['.url_value_preprocessor', '.app_url_value_preprocessor'];

/**
 * Flask's API as a package exports it: Flask itself, and Quart, the same API on asyncio (its request
 * body, form and files are awaited, which keeps what they hold). Request, responses, session, routes.
 */
export function flaskApi(pkg: string): FrameworkModel {
  const request = `${pkg}.request`;
  const api = (...names: string[]): string[] => names.map((n) => `${pkg}.${n}`);
  return {
    name: pkg,
    sources: [
      ...sources('http-request-input', 'parameters', {
        attributes: ['args', 'form', 'values', 'query_string'].map((a) => `${request}.${a}`),
        calls: ['args.get', 'form.get', 'values.get', 'args.getlist', 'form.getlist'].map(
          (c) => `${request}.${c}`,
        ),
      }),
      ...sources('http-request-input', 'body', {
        attributes: ['json', 'data', 'stream'].map((a) => `${request}.${a}`),
        calls: [`${request}.get_json`, `${request}.get_data`],
      }),
      ...sources('http-request-input', 'cookies', {
        attributes: [`${request}.cookies`],
        calls: [`${request}.cookies.get`],
      }),
      ...sources('http-request-input', 'headers', {
        attributes: ['headers', 'referrer', 'user_agent', 'authorization'].map((a) => `${request}.${a}`),
        calls: [`${request}.headers.get`],
      }),
      ...sources('http-request-input', 'files', { attributes: [`${request}.files`] }),
      ...sources('http-request-input', 'path-parameters', { attributes: [`${request}.view_args`] }),
      ...sources('http-request-input', 'url', {
        attributes: ['url', 'base_url', 'full_path', 'path'].map((a) => `${request}.${a}`),
        notFor: OWN_URL,
      }),
      ...sources('http-request-input', 'environ', { attributes: [`${request}.environ`] }),
    ],
    sinks: [
      { concept: 'redirect', calls: api('redirect'), keywords: ['location'] },
      {
        concept: 'http-response-body',
        calls: api('make_response'),
        keywords: [],
        contentType: 'text/html',
        contentTypeAttributes: RESPONSE_CONTENT_TYPE_ATTRIBUTES,
      },
      {
        concept: 'http-response-body',
        calls: api('Response'),
        keywords: ['response'],
        contentType: 'text/html',
        contentTypeArguments: RESPONSE_CONTENT_TYPE_ARGUMENTS,
        headersArgument: { arg: 2, keyword: 'headers' },
        contentTypeAttributes: RESPONSE_CONTENT_TYPE_ATTRIBUTES,
      },
      // Serialized as an application/json response: no HTML, whatever it holds.
      {
        concept: 'http-response-body',
        calls: api('jsonify', 'json.jsonify'),
        contentType: 'application/json',
      },
      // The description goes into the error page (escaped) or the JSON error body.
      { concept: 'http-error-response', calls: api('abort'), args: [1], keywords: ['description'] },
      { concept: 'safe-html', calls: api('Markup'), keywords: [], escapesFormatting: true },
      {
        concept: 'template-rendering',
        calls: api('render_template_string'),
        keywords: ['source'],
        escaping: 'none',
      },
      // The framework's environment is not sandboxed: the source's expressions run in the server.
      { concept: 'template-compilation', calls: api('render_template_string'), keywords: ['source'] },
      { concept: 'file-access', calls: api('send_file'), keywords: ['path_or_file', 'filename_or_io'] },
      // The file name is joined safely under the directory; the directory itself is trusted as given.
      { concept: 'file-access', calls: api('send_from_directory'), keywords: ['directory'] },
      { concept: 'session-store', stores: [{ object: `${pkg}.session` }] },
    ],
    sanitizers: [
      ...sanitizers([79], api('escape', 'jsonify')),
      // A template file rendered as SQL (`render_template("tables/create.sql", data=data)`): its own
      // filters write each value, quoted or not, and the analysis does not read the template.
      ...sanitizers([79, 89], api('render_template')),
      // A finished response whose body is not built from the arguments as markup: a redirect's small
      // page escapes the URL, a file send's body is the file's bytes, not its name.
      ...sanitizers([79], api('redirect', 'send_file', 'send_from_directory')),
      // Werkzeug's safe_join, re-exported by Flask before 2.2.
      ...sanitizers([22], api('safe_join', 'helpers.safe_join')),
    ],
    internalUrls: api('url_for'),
    routeDecorators: ['route', 'get', 'post', 'put', 'patch', 'delete', 'endpoint'],
    // A view's returned string is the body of a text/html response.
    routeReturns: {
      constructors: api(pkg === 'quart' ? 'Quart' : 'Flask', 'Blueprint'),
      returnedText: 'text/html',
      imports: [pkg],
    },
    // Werkzeug's `<int:id>` converters parse the path segment; a project's own converter class,
    // added to the application's `url_map.converters`, matches its `regex` and gives `to_python`'s value.
    routeParameters: {
      typedConverters: ['int', 'float', 'uuid'],
      customConverters: [
        { mapping: 'url_map.converters', regexAttribute: 'regex', valueMethod: 'to_python' },
      ],
    },
    // `url_value_preprocessor(endpoint, values)` gets the values the URL's path matched, before the view.
    callbacks: [
      {
        decorators: VALUE_PREPROCESSORS,
        imports: [pkg],
        parameters: [1],
        chosenBy: 'client',
        what: 'URL path value',
      },
    ],
    viewPreludes: [
      { decorators: VALUE_PREPROCESSORS, valuesParameter: 1 },
      { decorators: ['.before_request', '.before_app_request'] },
    ],
    requestGlobals: [`${pkg}.g`],
    // Its sources are read through `request`, already a source hint.
    unhintedSourcePackages: [pkg],
    terminatingCalls: [{ call: `${pkg}.abort` }],
    // The session cookie and Flask-Login's remember-me cookie.
    cookieSettings: {
      secure: ['SESSION_COOKIE_SECURE', 'REMEMBER_COOKIE_SECURE'],
      httponly: ['SESSION_COOKIE_HTTPONLY', 'REMEMBER_COOKIE_HTTPONLY'],
      samesite: ['SESSION_COOKIE_SAMESITE', 'REMEMBER_COOKIE_SAMESITE'],
    },
  };
}

const flask = flaskApi('flask');

/** Flask (its request, response and session; Werkzeug's own APIs are in werkzeug.ts). */
export default defineModel({
  ...flask,
  sanitizers: [
    ...(flask.sanitizers ?? []),
    // itsdangerous, Flask's signing library: what passes the signature check the application signed.
    ...sanitizers(
      INJECTION_CWES,
      ['Serializer', 'URLSafeSerializer', 'TimedSerializer', 'URLSafeTimedSerializer']
        .map((c) => `itsdangerous.${c}().loads`)
        .concat(['Signer', 'TimestampSigner'].map((c) => `itsdangerous.${c}().unsign`)),
    ),
  ],
  // Flask-RESTful's and flask-smorest's `abort` raise the HTTP error too.
  terminatingCalls: [
    ...(flask.terminatingCalls ?? []),
    { call: 'flask_restful.abort' },
    { call: 'flask_smorest.abort' },
  ],
});
