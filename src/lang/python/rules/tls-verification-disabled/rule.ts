import { callLabel } from '../../helpers/calls.js';
import { isConstantFalse } from '../../helpers/constants.js';
import { codeOf } from '../../helpers/messages.js';
import { attributeAssignments } from '../../helpers/module.js';
import { pasteTextOptions, truthTests } from '../../helpers/paste-config.js';
import { enclosingFunction } from '../../helpers/functions.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';
import { optedOutBySetting, settingBranch, type ConditionSyntax } from '../../../../rules/tls.js';
import { HTTP_CLIENTS, TLS_LIBRARIES } from '../../models/index.js';

/** Python's `if`, `elif` and `x if c else y`, within a `def` or `class`. */
const CONDITIONS: ConditionSyntax = {
  isBoundary: (p) => p.type === 'function_definition' || p.type === 'class_definition',
  conditionOf: (p) =>
    p.type === 'if_statement' || p.type === 'elif_clause'
      ? p.childForFieldName('condition')
      : p.type === 'conditional_expression'
        ? p.namedChildren[1]
        : undefined,
  nameTypes: ['identifier', 'attribute'],
};

function libraryOf(callee: string): (typeof TLS_LIBRARIES)[number] | undefined {
  return TLS_LIBRARIES.find((l) => l.packages?.some((p) => callee === p || callee.startsWith(`${p}.`)));
}

/** Every library's keywords, for a client whose type is not known (`self.http.get(url, verify=False)`). */
const ANY_LIBRARY = {
  offKeywords: [...new Set(TLS_LIBRARIES.flatMap((l) => l.offKeywords ?? []))],
  requirementKeyword: TLS_LIBRARIES.find((l) => l.requirementKeyword)?.requirementKeyword,
};

/** The methods that send a request, on any receiver: the models' HTTP clients' request calls. */
const REQUEST_METHODS: ReadonlySet<string> = new Set(
  HTTP_CLIENTS.flatMap((c) => c.requestCalls.map((call) => call.slice(call.lastIndexOf('.') + 1))),
);

const UNVERIFIED_CONTEXTS = new Set(TLS_LIBRARIES.flatMap((l) => l.unverifiedContexts ?? []));
const UNCHECKED_BY_DEFAULT = new Map(
  TLS_LIBRARIES.flatMap((l) =>
    (l.uncheckedByDefault ?? []).map((c) => [c, l.requirementKeyword ?? 'cert_reqs'] as const),
  ),
);

function isCertNone(node: Node | undefined, module: PythonModule): boolean {
  if (!node) return false;
  const q = module.qualifiedName(node);
  if (q === 'ssl.CERT_NONE') return true;
  const text = node.text.replace(/['"]/g, '');
  return node.type === 'string' && (text === 'CERT_NONE' || text === 'NONE');
}

/**
 * The keyword that turns verification off at this call, if any, and whether the call is known to
 * be the library's. The keywords are tried in the model's order, whatever their order in the call.
 */
function disablingKeyword(
  call: CallSite,
  module: PythonModule,
): { keyword: string; known: boolean } | undefined {
  const library = libraryOf(call.callee ?? '');
  if (!library && !(call.methodName !== undefined && REQUEST_METHODS.has(call.methodName))) return undefined;
  const { offKeywords = [], requirementKeyword } = library ?? ANY_LIBRARY;
  const known = library !== undefined;
  for (const k of offKeywords) {
    const v = call.kwargs.get(k);
    if (v && isConstantFalse(v, module) && v.type !== 'none') return { keyword: `${k}=${v.text}`, known };
  }
  const requirement = requirementKeyword ? call.kwargs.get(requirementKeyword) : undefined;
  if (requirement && isCertNone(requirement, module))
    return { keyword: `${requirementKeyword}=${requirement.text}`, known };
  return undefined;
}

/** Calls that move data over a connection (or hand it to a client that does). */
const TRAFFIC =
  /\.(send|sendall|sendto|write|writelines|recv|recv_into|read|readline|makefile|request|urlopen|get|post|put|patch|delete|bind|bind_s|simple_bind_s|start_tls|start_tls_s|login|search|search_s)\s*\(/;

/**
 * A function that turns checks off only to read the peer's certificate (a monitor reporting when
 * it expires): it calls `getpeercert` and nothing that sends or receives data. There is no
 * traffic to read or change; the certificate is what it inspects.
 */
function certificateProbe(node: Node): string | undefined {
  const fn = enclosingFunction(node);
  const body = fn?.childForFieldName('body')?.text;
  if (!body || !/\.getpeercert\s*\(/.test(body) || TRAFFIC.test(body)) return undefined;
  return 'getpeercert';
}

export default defineRule({
  id: 'python/tls-verification-disabled',
  title: 'TLS certificate verification disabled',
  cwe: 295,
  severity: 'high',
  confidence: 'high',
  languages: ['python'],
  requires: ['verify', 'ssl', 'CERT_NONE', 'check_hostname'],
  description:
    'With certificate or host-name checks off, anyone on the network path (a Wi-Fi hotspot, a ' +
    'compromised router, a proxy) can present their own certificate, read the traffic, including ' +
    'credentials and tokens, and change the responses. An option of a Paste Deploy configuration is the ' +
    'ini file\'s text: tested for truth to turn verification off (`if conf.get("insecure"):`), ' +
    '`insecure = false` turns it off too.',
  fix:
    'Keep verification on (the default). For a private CA pass its bundle: verify="/path/ca.pem" or ' +
    'ssl.create_default_context(cafile=...).',
  example: {
    bad: 'requests.get(url, verify=False)',
    good: 'requests.get(url, verify="/etc/ssl/internal-ca.pem")',
  },
  check({ module, report: reportAny }) {
    // Checks turned off only in the branch of a setting that asks for it: reported low (see
    // rules/tls.ts `optedOutBySetting`).
    const report = (r: Parameters<typeof reportAny>[0]): void => {
      const setting = settingBranch(r.node, CONDITIONS);
      const probe = setting ? undefined : certificateProbe(r.node);
      reportAny(
        setting
          ? optedOutBySetting(r, setting)
          : probe
            ? {
                ...r,
                severity: 'low',
                confidenceReason: `the function only reads the peer's certificate (\`${probe}\`) and sends nothing over the connection`,
              }
            : r,
      );
    };
    for (const call of module.calls) {
      const callee = call.callee ?? '';
      const off = disablingKeyword(call, module);
      const requirementKeyword = UNCHECKED_BY_DEFAULT.get(callee);
      if (off) {
        report({
          node: call.node,
          confidence: off.known ? 'high' : 'medium',
          message: `${callLabel(call, module)} is called with \`${off.keyword}\`: the server certificate is not checked.`,
        });
      } else if (UNVERIFIED_CONTEXTS.has(callee)) {
        report({
          node: call.node,
          message: `${callLabel(call, module)} creates an SSL context that checks neither the certificate nor the host name.`,
        });
      } else if (
        requirementKeyword &&
        (!call.kwargs.has(requirementKeyword) || isCertNone(call.kwargs.get(requirementKeyword), module))
      ) {
        const given = call.kwargs.has(requirementKeyword);
        report({
          node: call.node,
          message: `${callLabel(call, module)} ${given ? `is called with \`${requirementKeyword}=ssl.CERT_NONE\`` : `defaults to \`${requirementKeyword}=CERT_NONE\``}: the peer certificate is not checked.`,
        });
      }
    }
    // The global default: ssl._create_default_https_context = ssl._create_unverified_context
    for (const a of attributeAssignments(module, '_create_default_https_context')) {
      if (module.qualifiedName(a.value) !== 'ssl._create_unverified_context') continue;
      report({
        node: a.node,
        message: `\`${codeOf(a.node)}\` turns off certificate checks for every HTTPS connection made with urllib.`,
      });
    }
    for (const a of attributeAssignments(module, 'verify')) {
      if (!isConstantFalse(a.value, module) || a.value.type === 'none') continue;
      report({
        node: a.node,
        confidence: module.qualifiedName(a.object)?.startsWith('requests.') ? 'high' : 'medium',
        message: `\`${codeOf(a.node)}\` turns off certificate checks for every request made through \`${codeOf(a.object)}\`.`,
      });
    }
    for (const a of attributeAssignments(module, 'check_hostname')) {
      if (!isConstantFalse(a.value, module)) continue;
      report({
        node: a.node,
        // HTTP libraries turn it off to match the host name themselves (urllib3 does).
        confidence: 'medium',
        message: `\`${codeOf(a.node)}\` stops checking that the certificate belongs to the host, so any valid certificate is accepted.`,
      });
    }
    // `insecure = conf.get("insecure", False)` in Paste Deploy middleware, then `if insecure: verify =
    // False`: the option is the ini file's text, so `insecure = false` is a true string too.
    for (const option of pasteTextOptions(module)) {
      const test = truthTests(option).find((t) => turnsVerificationOff(t.decides, t.negated, module));
      if (!test) continue;
      reportAny({
        node: option.node,
        severity: 'medium',
        confidence: 'medium',
        message:
          `\`${codeOf(option.node)}\` is the text of the Paste Deploy configuration; ` +
          `\`${codeOf(test.negated ? test.decides : test.condition)}\` (line ${test.condition.startPosition.row + 1}) ` +
          `treats any non-empty text, \`${option.option} = false\` included, as true and turns certificate verification off.`,
        fix: 'Convert the option to a boolean before testing it (oslo_utils.strutils.bool_from_string, paste.deploy.converters.asbool).',
      });
    }
    for (const a of attributeAssignments(module, 'verify_mode')) {
      if (!isCertNone(a.value, module)) continue;
      report({
        node: a.node,
        message: `\`${codeOf(a.node)}\` accepts any certificate, including self-signed ones presented by an attacker.`,
      });
    }
  },
});

/** A verification setting: `verify`, `self._verify`, `ssl_verify`, `check_hostname`. */
const VERIFICATION_TARGET = /verif|check_hostname/i;

/**
 * Whether `decides` turns verification off: a block that assigns False to a verification setting
 * or passes `verify=False` or `ssl.CERT_NONE`, or an assignment of the negated option to one.
 */
function turnsVerificationOff(decides: Node, negated: boolean, module: PythonModule): boolean {
  if (negated) return VERIFICATION_TARGET.test(decides.childForFieldName('left')?.text ?? '');
  for (const a of decides.descendantsOfType('assignment')) {
    const target = a.childForFieldName('left')?.text ?? '';
    const value = a.childForFieldName('right') ?? undefined;
    if (!VERIFICATION_TARGET.test(target) || !value) continue;
    if ((isConstantFalse(value, module) && value.type !== 'none') || isCertNone(value, module)) return true;
  }
  for (const k of decides.descendantsOfType('keyword_argument')) {
    const name = k.childForFieldName('name')?.text ?? '';
    const value = k.childForFieldName('value') ?? undefined;
    if (!value) continue;
    if (VERIFICATION_TARGET.test(name) && isConstantFalse(value, module) && value.type !== 'none')
      return true;
    if (isCertNone(value, module)) return true;
  }
  return false;
}
