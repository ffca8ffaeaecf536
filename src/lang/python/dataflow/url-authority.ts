/**
 * Python's ways of building URL text (f-strings, `%` and `.format`) over the core's URL prefix
 * rules (dataflow/url-prefix.ts): what data appended to text that fixes a server is safe for.
 */
import { safeAfter, SSRF } from '../../../dataflow/url-prefix.js';
import { sanitize, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';

export { fixesAuthority, UrlPrefix } from '../../../dataflow/url-prefix.js';

/** The literal text an f-string starts with, before its first interpolation. */
export function leadingText(node: Node): string {
  let text = '';
  if (node.type !== 'string') return text;
  for (const c of node.namedChildren) {
    if (!c || c.type === 'string_start') continue;
    if (c.type !== 'string_content') break;
    text += c.text;
  }
  return text;
}

/**
 * `"https://host/%s/%s" % (a, b)` and `"https://host/{}".format(a)`: every argument lands after the
 * first conversion, so the text before it says whether the server is fixed.
 */
export function formattedArgument(format: string, marker: '%' | '{', v: Val): Val {
  const head = format.split(marker)[0] ?? '';
  const safe = v.t ? safeAfter(head) : undefined;
  return safe ? sanitize(v, safe) : v;
}

/**
 * An argument of `template.format(...)` where the template is not constant but carries no source
 * (a URL template in the settings): the template's author chose the scheme and host.
 */
export function filledTemplate(v: Val): Val {
  return v.t ? sanitize(v, SSRF) : v;
}
