import { calleeLabel } from '../../helpers/calls.js';
import { elementsOf, stringValue } from '../../helpers/constants.js';
import { isDevelopmentEntry } from '../../helpers/module.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

/** Addresses that mean "every interface of this machine". */
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0']);

/** Calls whose first argument is a `(host, port)` address tuple. */
const ADDRESS_TUPLE_CALLS =
  /(^|\.)(bind|HTTPServer|ThreadingHTTPServer|TCPServer|UDPServer|ThreadingTCPServer|ThreadingUDPServer|ForkingTCPServer|ForkingUDPServer|SimpleXMLRPCServer|WSGIServer|create_server)$/;

/** Calls that start a server on a `host=` keyword or first argument. */
const HOST_CALLS = /(^|\.)(run|run_app|run_simple|serve|start_server|create_server|make_server|listen)$/;

function describe(address: Node, host: string): string {
  return address.type === 'string' ? `\`${address.text}\`` : `\`${address.text}\` (= '${host}')`;
}

export default defineRule({
  id: 'python/bind-all-interfaces',
  title: 'Server bound to every network interface',
  cwe: 1327,
  severity: 'medium',
  confidence: 'low',
  languages: ['python'],
  requires: ['0.0.0.0', '::', "''", '""'],
  description:
    'A socket or development server listens on 0.0.0.0 or ::, so it is reachable from every network the ' +
    'machine is attached to, not only from the local host. Services meant for local use (debug servers, ' +
    'admin endpoints, caches) become reachable by anyone who can route to the machine. Inside a container ' +
    'this is often intended, which is why confidence is low. In a development entry point (a `__main__` ' +
    'block, its `main()`, a bin/ or scripts/ launcher) it is a hygiene suggestion, not a defect, unless ' +
    '`hygiene-as-defects: true` is configured.',
  fix: 'Bind to 127.0.0.1 (or a specific interface) unless the service must be public, and take the address from configuration.',
  example: {
    bad: "app.run(host='0.0.0.0', port=8080)",
    good: "app.run(host=os.environ.get('BIND_ADDRESS', '127.0.0.1'), port=8080)",
  },
  check({ file, module, report }) {
    for (const call of module.calls) {
      const name = call.callee ?? call.methodName ?? '';
      let address: Node | undefined;
      let host: string | undefined;
      if (ADDRESS_TUPLE_CALLS.test(name) || call.methodName === 'bind') {
        const first = call.argument(0, 'server_address', 'address');
        const parts = first ? elementsOf(first) : [];
        // Port 0 asks the system for a free port (to learn its number): nothing listens there.
        if (first?.type === 'tuple' && parts.length === 2 && parts[1].text !== '0') {
          host = stringValue(parts[0], module);
          address = parts[0];
          // An empty host in an address tuple is INADDR_ANY as well.
          if (host === '') host = '0.0.0.0';
        }
      }
      if (!address && HOST_CALLS.test(name)) {
        const h = call.argument(-1, 'host', 'hostname');
        if (h) {
          host = stringValue(h, module);
          address = h;
        }
      }
      if (!address || host === undefined || !ALL_INTERFACES.has(host)) continue;
      // A launcher a developer runs by hand (often in a container): hygiene, not a shipped exposure.
      const development = isDevelopmentEntry(call.node, file.path);
      report({
        node: call.node,
        hygiene: development,
        confidenceReason: development
          ? 'the address is written in the call, in a development entry point'
          : 'the address is written in the call',
        message: `${calleeLabel(call)} listens on ${describe(address, host)}, every network interface; the service is reachable from any network the host is on.`,
      });
    }
  },
});
