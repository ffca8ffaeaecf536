import { calleeLabel } from '../../helpers/calls.js';
import type { CallSite } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';

const WEAK_AUTH = /^(usmHMACMD5AuthProtocol|usmNoAuthProtocol)$/;
const WEAK_PRIV = /^(usmDESPrivProtocol|usm3DESEDEPrivProtocol|usmNoPrivProtocol)$/;

/** `pysnmp.hlapi.usmDESPrivProtocol` → "usmDESPrivProtocol". */
function protocolName(node: CallSite['args'][number] | undefined): string {
  return node?.text.split('.').pop() ?? '';
}

export default defineRule({
  id: 'python/snmp-insecure-version',
  title: 'SNMP without encryption (v1/v2c community or SNMPv3 without privacy)',
  cwe: 319,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['CommunityData', 'UsmUserData'],
  description:
    'SNMPv1 and v2c (`CommunityData`) send the community string, which is the password, and all data in clear ' +
    'text. SNMPv3 without a privacy key (`UsmUserData(user)` or `UsmUserData(user, authKey)`) also sends data ' +
    "unencrypted, and MD5 authentication or DES privacy (pysnmp's defaults when no protocol is named) are broken.",
  fix: 'Use SNMPv3 with authPriv: UsmUserData(user, authKey, privKey, authProtocol=usmHMAC192SHA256AuthProtocol, privProtocol=usmAesCfb128Protocol).',
  example: {
    bad: "auth = CommunityData('public', mpModel=1)",
    good: 'auth = UsmUserData(user, auth_key, priv_key, authProtocol=usmHMAC192SHA256AuthProtocol, privProtocol=usmAesCfb128Protocol)',
  },
  check({ module, report }) {
    for (const call of module.calls) {
      const callee = call.callee ?? '';
      if (!callee.startsWith('pysnmp')) continue;
      if (callee.endsWith('.CommunityData')) {
        report({
          node: call.node,
          message: `${calleeLabel(call)} uses SNMP v1/v2c, which sends the community string and all data in clear text.`,
        });
      } else if (callee.endsWith('.UsmUserData') && !call.hasSplat) {
        const authKey = call.argument(1, 'authKey');
        const privKey = call.argument(2, 'privKey');
        if (!authKey || !privKey) {
          report({
            node: call.node,
            message: `${calleeLabel(call)} is created without ${authKey ? 'a privacy key (authNoPriv)' : 'authentication or privacy keys (noAuthNoPriv)'}; SNMP data is sent unencrypted.`,
          });
          continue;
        }
        const auth = protocolName(call.argument(3, 'authProtocol'));
        const priv = protocolName(call.argument(4, 'privProtocol'));
        const weak = [
          !auth ? 'MD5 authentication (the default)' : WEAK_AUTH.test(auth) ? `\`${auth}\`` : '',
          !priv ? 'DES privacy (the default)' : WEAK_PRIV.test(priv) ? `\`${priv}\`` : '',
        ].filter(Boolean);
        if (weak.length)
          report({
            node: call.node,
            cwe: 327,
            message: `${calleeLabel(call)} uses ${weak.join(' and ')}, which are broken; choose SHA-2 authentication and AES privacy.`,
          });
      }
    }
  },
});
