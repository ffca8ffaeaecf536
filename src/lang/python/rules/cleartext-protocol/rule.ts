import { calleeLabel } from '../../helpers/calls.js';
import { codeOf } from '../../helpers/messages.js';
import { fixedHost, schemeChoice, urlHostRead } from './scheme-choice.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import { defineRule } from '../../../../rules/rule.js';

/** Clients of protocols that send credentials and data unencrypted, with their TLS alternative. */
const CLEARTEXT: Record<string, [string, string]> = {
  'telnetlib.Telnet': ['Telnet', 'SSH (paramiko, asyncssh)'],
  'telnetlib3.open_connection': ['Telnet', 'SSH (paramiko, asyncssh)'],
  'ftplib.FTP': ['FTP', 'ftplib.FTP_TLS (then prot_p()) or SFTP'],
  'poplib.POP3': ['POP3', 'poplib.POP3_SSL'],
  'imaplib.IMAP4': ['IMAP', 'imaplib.IMAP4_SSL'],
};

/** Their TLS variants: a module that opens both lets its configuration choose (`ftps://` or `ftp://`). */
const TLS_VARIANT: Record<string, string> = {
  'ftplib.FTP': 'ftplib.FTP_TLS',
  'poplib.POP3': 'poplib.POP3_SSL',
  'imaplib.IMAP4': 'imaplib.IMAP4_SSL',
};

/**
 * Why the configuration, not the code, picks this cleartext client: the module also opens the TLS
 * variant (a setting chooses), or the client runs only for URLs of its scheme (see scheme-choice.ts).
 */
function configuredChoice(
  call: CallSite,
  protocol: string,
  module: PythonModule,
): { why: string; reason: string } | undefined {
  const variant = TLS_VARIANT[call.callee as string];
  if (variant && module.calls.some((c) => c.callee === variant))
    return {
      why: `the module also offers \`${variant}\``,
      reason: `the module also opens \`${variant}\`: the configuration chooses between them`,
    };
  const selector = schemeChoice(call, protocol, module);
  if (!selector) {
    const host = urlHostRead(call, module);
    if (!host) return undefined;
    const read = codeOf(host);
    return {
      why: `it connects to the host of a URL it is given: \`${read}\``,
      reason: `the host is read from a URL it is given (\`${read}\`): the URL's scheme asks for this protocol`,
    };
  }
  const code = codeOf(selector);
  return {
    why: `it runs for URLs of its scheme: \`${code}\``,
    reason: `a URL's scheme selects this client (\`${code}\`): protocol support the configuration asks for`,
  };
}

export default defineRule({
  id: 'python/cleartext-protocol',
  title: 'Connection over a cleartext protocol (Telnet, FTP, POP3, IMAP)',
  cwe: 319,
  severity: 'medium',
  confidence: 'high',
  languages: ['python'],
  requires: ['telnetlib', 'ftplib', 'poplib', 'imaplib'],
  description:
    'The code opens a Telnet, FTP, POP3 or IMAP connection without TLS. Everything, including the login name and ' +
    'password, crosses the network in clear text, where anyone on the path can read or change it.',
  fix: 'Use the encrypted variant: SSH instead of Telnet, FTP_TLS or SFTP instead of FTP, POP3_SSL / IMAP4_SSL (or STARTTLS before logging in).',
  example: {
    bad: 'ftp = ftplib.FTP("ftp.example.com")\nftp.login(user, password)',
    good: 'ftp = ftplib.FTP_TLS("ftp.example.com")\nftp.login(user, password)\nftp.prot_p()',
  },
  check({ module, report }) {
    const startTls = module.calls.some((c) => c.methodName === 'starttls');
    for (const call of module.calls) {
      const entry = call.callee ? CLEARTEXT[call.callee] : undefined;
      if (!entry) continue;
      // IMAP and POP3 upgraded with STARTTLS/STLS before login are encrypted.
      if (
        (entry[0] === 'IMAP' && startTls) ||
        (entry[0] === 'POP3' && module.calls.some((c) => c.methodName === 'stls'))
      )
        continue;
      const article = /^[FI]/.test(entry[0]) ? 'an' : 'a';
      const choice = fixedHost(call, module) ? undefined : configuredChoice(call, entry[0], module);
      if (choice) {
        report({
          node: call.node,
          severity: 'low',
          confidenceReason: choice.reason,
          message: `${calleeLabel(call)} opens ${article} ${entry[0]} connection when the configuration asks for it (${choice.why}); that choice sends credentials and data unencrypted.`,
        });
        continue;
      }
      report({
        node: call.node,
        message: `${calleeLabel(call)} opens ${article} ${entry[0]} connection, which sends credentials and data unencrypted; use ${entry[1]}.`,
      });
    }
  },
});
