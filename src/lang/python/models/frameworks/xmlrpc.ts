import { defineModel } from '../concepts.js';

/** The standard library's XML-RPC server modules (Python 3, and their Python 2 names). */
const SERVER_MODULES = ['xmlrpc.server', 'SimpleXMLRPCServer', 'DocXMLRPCServer'];

/**
 * XML-RPC servers of the standard library (`SimpleXMLRPCServer`, `SimpleXMLRPCDispatcher`,
 * `DocXMLRPCServer`, `CGIXMLRPCRequestHandler` and subclasses): the remote client names a method and
 * sends its arguments. `register_function(f[, name])`, also as a decorator, exposes f;
 * `register_instance(obj)` exposes every method of obj's class whose name does not begin with `_`
 * (the dispatcher refuses those), or, when the class defines `_dispatch(self, method, params)`,
 * that method alone with the client's method name and arguments. Their parameters hold what the
 * client sent.
 */
export default defineModel({
  name: 'xmlrpc',
  callbacks: [
    {
      registrations: [{ calls: ['.register_function'], arg: 0, keyword: 'function' }],
      decorators: ['.register_function'],
      instanceRegistrations: [
        { calls: ['.register_instance'], arg: 0, keyword: 'instance', dispatch: '_dispatch' },
      ],
      imports: SERVER_MODULES,
      chosenBy: 'client',
      what: 'XML-RPC argument',
    },
  ],
});
