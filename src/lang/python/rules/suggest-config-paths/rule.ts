import { constantValue } from '../../semantic/constant.js';
import { listCode } from '../../helpers/messages.js';
import { aggregate, descendants } from '../../helpers/suggestions.js';
import type { Node } from '../../../../parsing/parser.js';
import { defineRule } from '../../../../rules/rule.js';

const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;
/** Segments and file names that say "configuration". */
const CONFIG_PART =
  /^(etc|conf|config|configs|configuration|settings|cfg|conf\.d|config\.d)$|\.(conf|cfg|ini|ya?ml|toml|rc|properties)$/i;
/** System files a program reads on purpose: not its own configuration. */
const SYSTEM_FILE =
  /^\/etc\/(passwd|shadow|group|gshadow|hosts|hostname|resolv\.conf|nsswitch\.conf|os-release|lsb-release|localtime|timezone|machine-id|fstab|mtab|sudoers|services|protocols|mime\.types|ssl|pki|ca-certificates|ssh)(\/|$)/;

/**
 * What every configuration path holds: a separator and a word of CONFIG_PART. Without a backslash
 * a literal's value is the text between its quotes, so most strings of a file are passed over
 * without decoding them.
 */
const CONFIG_WORD = /etc|conf|settings|cfg|\.ini|\.ya?ml|\.toml|\.rc|\.properties/i;

function mayBeConfigPath(str: Node): boolean {
  const text = str.text;
  return text.includes('\\') || (text.includes('/') && CONFIG_WORD.test(text));
}

function isConfigPath(path: string): boolean {
  if (!ABSOLUTE.test(path) || /\s/.test(path) || SYSTEM_FILE.test(path)) return false;
  const parts = path.split(/[\\/]+/).filter(Boolean);
  if (parts.length < 2 && !/^\/etc\//.test(path)) return false;
  return parts.some((p) => CONFIG_PART.test(p));
}

/** The variable a value ends up in, through wrappers: `DEFAULT = Path("/etc/app.conf")`. */
function assignedTo(value: Node): string | undefined {
  let n = value;
  while (
    n.parent &&
    ['argument_list', 'call', 'parenthesized_expression', 'binary_operator'].includes(n.parent.type)
  )
    n = n.parent;
  const p = n.parent;
  if (p?.type !== 'assignment' || p.childForFieldName('right')?.id !== n.id) return undefined;
  return p.childForFieldName('left')?.text;
}

/** Where a literal path is already an option's default or one entry of a search list. */
function isDefaultOrCandidate(str: Node): boolean {
  let n = str;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'expression_statement') return true; // a docstring
  if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') return true;
  if (p.type === 'keyword_argument' && /default/i.test(p.childForFieldName('name')?.text ?? '')) return true;
  if (
    (p.type === 'list' || p.type === 'tuple') &&
    p.namedChildren.filter((c) => c?.type !== 'comment').length > 1
  )
    return true;
  if (p.type === 'argument_list') {
    const call = p.parent;
    const fn = call?.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    // os.environ.get("X", "/etc/app.conf"), os.getenv(...), parser.get(..., fallback="...")
    if (/(^|\.)(getenv|get|setdefault)$/.test(fn) && p.namedChildren[0]?.id !== n.id) return true;
  }
  return /default|fallback/i.test(assignedTo(n) ?? '');
}

export default defineRule({
  id: 'python/suggest-config-paths',
  title: 'Hard-coded absolute path to configuration',
  cwe: 1052,
  severity: 'low',
  confidence: 'medium',
  kind: 'suggestion',
  languages: ['python'],
  requires: ['/', '\\'],
  description:
    'An absolute path to a configuration file or directory (`/etc/myapp/myapp.conf`, ' +
    '`C:\\\\myapp\\\\config.ini`) is written into the code where an option, an environment variable or ' +
    'the standard location lookup is expected. Packagers, containers, tests and users with another ' +
    'layout cannot move the configuration without editing the code.',
  fix:
    'Read the location from a command-line option or an environment variable with the path as its ' +
    'documented default, or look it up in the standard places (`$XDG_CONFIG_HOME`, ' +
    '`platformdirs.user_config_dir()`, then `/etc/<app>/`).',
  example: {
    bad: 'with open("/etc/myapp/myapp.conf") as f:',
    good: 'with open(os.environ.get("MYAPP_CONFIG", "/etc/myapp/myapp.conf")) as f:',
  },
  check({ module, report }) {
    const sites: { node: Node; path: string }[] = [];
    for (const str of descendants(module.file.tree.rootNode, new Set(['string']))) {
      if (
        !mayBeConfigPath(str) ||
        str.parent?.type === 'concatenated_string' ||
        str.namedChildren.some((c) => c?.type === 'interpolation')
      )
        continue;
      const value = constantValue(str, module)?.value;
      if (typeof value !== 'string' || !isConfigPath(value) || isDefaultOrCandidate(str)) continue;
      sites.push({ node: str, path: value });
    }
    const found = aggregate(sites);
    if (!found) return;
    const paths = [...new Set(found.sites.map((s) => s.path))];
    report({
      node: found.node,
      lines: found.lines,
      message: `${paths.length === 1 ? 'The configuration path' : 'Configuration paths'} ${listCode(paths, 3)} ${paths.length === 1 ? 'is' : 'are'} hard-coded.`,
    });
  },
});
