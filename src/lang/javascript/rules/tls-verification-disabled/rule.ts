import type { Node } from '../../../../parsing/parser.js';
import { codeOf } from '../../../../rules/messages.js';
import { defineRule, type ReportDescriptor } from '../../../../rules/rule.js';
import { optedOutBySetting, settingBranch, type ConditionSyntax } from '../../../../rules/tls.js';
import { callLabel, isUnder } from '../../helpers/calls.js';
import { objectLiteral, objectProperties, optionAt, type Property } from '../../helpers/objects.js';
import type { JsCall, JsModule } from '../../semantic/model.js';
import { FUNCTION_TYPES, unwrap } from '../../semantic/scope.js';

const REJECT = 'rejectUnauthorized';
const ENV = 'NODE_TLS_REJECT_UNAUTHORIZED';
/** What the environment switch leaves unchecked. */
const EVERY_CONNECTION = 'every TLS connection the process makes, HTTPS requests included';

/**
 * The calls and constructors that hand an options object to Node's TLS, and where in it Node reads
 * `rejectUnauthorized`. Clients that take an agent (axios' `httpsAgent`, node-fetch's `agent`) are
 * covered by the `https.Agent` they are given.
 */
const CLIENTS: readonly { callees: ReadonlySet<string>; members?: boolean; path: readonly string[] }[] = [
  {
    callees: new Set([
      'https.request',
      'https.get',
      'https.Agent',
      'tls.connect',
      'tls.TLSSocket',
      'http2.connect',
      'undici.buildConnector',
    ]),
    path: [REJECT],
  },
  // got(url, { https: { rejectUnauthorized } }), got.post(...), got.extend(...)
  { callees: new Set(['got']), members: true, path: ['https', REJECT] },
  // new undici.Agent({ connect: { rejectUnauthorized } }), and its Client and Pool
  { callees: new Set(['undici.Agent', 'undici.Client', 'undici.Pool']), path: ['connect', REJECT] },
];

/** Where a call takes its TLS options, if it is one of the clients. */
function optionsPath(callee: string | undefined): readonly string[] | undefined {
  if (callee === undefined) return undefined;
  return CLIENTS.find((c) => c.callees.has(callee) || (c.members && isUnder(callee, c.callees)))?.path;
}

/** Whether the value is the constant `false`: Node keeps checking for anything else (`0` too). */
function isFalse(value: Node, module: JsModule): boolean {
  return module.constantValue(value) === false;
}

/** Whether the value turns the environment switch off: Node reads the string `'0'`. */
function isZero(value: Node, module: JsModule): boolean {
  const v = module.constantValue(value);
  return v !== undefined && v !== null && String(v) === '0';
}

/** `if (...)` and `c ? x : y`, within a function or class. */
const CONDITIONS: ConditionSyntax = {
  isBoundary: (p) => FUNCTION_TYPES.has(p.type) || p.type === 'class_body',
  conditionOf: (p) =>
    p.type === 'if_statement' || p.type === 'ternary_expression'
      ? p.childForFieldName('condition')
      : undefined,
  nameTypes: ['identifier', 'property_identifier'],
};

/** How an options object reached the call, when it was not written in it (`options` on line 3). */
function passedAs(argument: Node, property: Property): string {
  const written = unwrap(argument);
  return written.type === 'identifier' && property.node.startIndex < written.startIndex
    ? `, passed as \`${written.text}\` on line ${written.startPosition.row + 1}`
    : '';
}

/** The global switches, what turns each off, and what it then leaves unchecked. */
const GLOBAL_SWITCHES = new Map<string, { off: (value: Node, module: JsModule) => boolean; scope: string }>([
  [`process.env.${ENV}`, { off: isZero, scope: EVERY_CONNECTION }],
  [
    `https.globalAgent.options.${REJECT}`,
    { off: isFalse, scope: 'every HTTPS request made with the default agent' },
  ],
]);

/**
 * Assignments that turn a global switch off: `process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'` (or
 * `process.env['...']`), `https.globalAgent.options.rejectUnauthorized = false`.
 */
function switchedOff(module: JsModule): { node: Node; scope: string }[] {
  const out: { node: Node; scope: string }[] = [];
  for (const node of module.file.tree.rootNode.descendantsOfType('assignment_expression')) {
    const left = node.childForFieldName('left');
    const value = node.childForFieldName('right');
    const name = left && left.type !== 'identifier' ? module.qualifiedName(left) : undefined;
    const target = name === undefined ? undefined : GLOBAL_SWITCHES.get(name);
    if (value && target?.off(value, module)) out.push({ node, scope: target.scope });
  }
  return out;
}

export default defineRule({
  id: 'javascript/tls-verification-disabled',
  title: 'TLS certificate verification disabled',
  cwe: 295,
  severity: 'high',
  confidence: 'high',
  languages: ['javascript'],
  requires: [REJECT, ENV],
  description:
    'With certificate checks off, anyone on the network path (a Wi-Fi hotspot, a compromised router, ' +
    'a proxy) can present their own certificate, read the traffic, including credentials and ' +
    'tokens, and change the responses.',
  fix:
    'Keep verification on (the default). For a private CA pass its certificate: ' +
    "new https.Agent({ ca: fs.readFileSync('ca.pem') }), or set NODE_EXTRA_CA_CERTS.",
  example: {
    bad: 'https.get(url, { rejectUnauthorized: false }, onResponse);',
    good: "https.get(url, { ca: fs.readFileSync('/etc/ssl/internal-ca.pem') }, onResponse);",
  },
  check({ module, report: reportAny }) {
    const report = (r: ReportDescriptor, ...alsoIn: Node[]): void => {
      const setting = [r.node, ...alsoIn]
        .map((n) => settingBranch(n, CONDITIONS))
        .find((s) => s !== undefined);
      reportAny(setting ? optedOutBySetting(r, setting) : r);
    };
    // One finding per property, however many calls its options object reaches.
    const reported = new Set<number>();
    for (const call of module.calls) {
      const path = optionsPath(call.callee);
      if (path) checkOptions(call, path);
      else if (call.callee === 'Object.assign') checkEnvAssign(call);
    }
    for (const { node, scope } of switchedOff(module)) {
      report({ node, message: `\`${codeOf(node)}\` turns off certificate checks for ${scope}.` });
    }

    function checkOptions(call: JsCall, path: readonly string[]): void {
      for (const argument of call.args) {
        const property = optionAt(argument, path, module);
        if (!property || reported.has(property.node.id) || !isFalse(property.value, module)) continue;
        reported.add(property.node.id);
        report(
          {
            node: property.node,
            message: `\`${codeOf(property.node)}\` in the options of ${callLabel(call, module)}${passedAs(argument, property)}: the server certificate is not checked.`,
          },
          call.node,
        );
      }
    }

    /** `Object.assign(process.env, { NODE_TLS_REJECT_UNAUTHORIZED: '0' })`. */
    function checkEnvAssign(call: JsCall): void {
      const [target, ...sources] = call.args;
      if (!target || module.qualifiedName(target) !== 'process.env') return;
      for (const source of sources) {
        const object = objectLiteral(source, module);
        const property = object ? objectProperties(object, module).get(ENV) : undefined;
        if (!property || !isZero(property.value, module)) continue;
        report({
          node: property.node,
          message: `\`${codeOf(property.node)}\` copied into \`process.env\` turns off certificate checks for ${EVERY_CONNECTION}.`,
        });
      }
    }
  },
});
