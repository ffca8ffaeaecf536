/**
 * Python's ways of building URL text (f-strings, `%` and `.format`) over the core's URL prefix
 * rules (dataflow/url-prefix.ts): what data appended to text that fixes a server is safe for.
 */
import { safeAfter, SSRF, UrlPrefix } from '../../../dataflow/url-prefix.js';
import { CLEAN, constVal, join, sanitize, UNKNOWN, type Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';

export { fixesAuthority, UrlPrefix } from '../../../dataflow/url-prefix.js';

/** One piece of a `str.format` template: literal text, or a field (`{}`, `{0}`, `{name!r:>8}`). */
type FormatPiece = { text: string } | { field: number | string };

/**
 * The pieces of a `str.format` template in order, automatic fields numbered; undefined for a
 * template these do not cover (attribute or item access in a field, a nested field, a stray brace).
 */
function formatPieces(format: string): FormatPiece[] | undefined {
  const pieces: FormatPiece[] = [];
  let text = '';
  let auto = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if ((c === '{' || c === '}') && format[i + 1] === c) {
      text += c;
      i++;
      continue;
    }
    if (c === '}') return undefined;
    if (c !== '{') {
      text += c;
      continue;
    }
    const m = /^\{(\w*)(?:![rsa])?(?::[^{}]*)?\}/.exec(format.slice(i));
    if (!m) return undefined;
    if (text) pieces.push({ text });
    text = '';
    const name = m[1] as string;
    pieces.push({ field: name === '' ? auto++ : /^\d+$/.test(name) ? Number(name) : name });
    i += m[0].length - 1;
  }
  if (text) pieces.push({ text });
  return pieces;
}

/**
 * The arguments of `template.format(...)` with a constant template, each as the URL text it is part
 * of leaves it: a field after the template's text has fixed the server (`"{scheme}://{host}/{path}"`
 * fixes it before `path`) only picks a path or query there. Undefined when the template is not one
 * `formatPieces` reads; the caller then judges every argument by the text before the first field.
 */
export function formattedFields(
  format: string,
  args: readonly Val[],
  kwargs: ReadonlyMap<string, Val>,
): { args: Val[]; kwargs: Map<string, Val> } | undefined {
  const pieces = formatPieces(format);
  if (!pieces) return undefined;
  const url = new UrlPrefix();
  const outArgs: (Val | undefined)[] = args.map(() => undefined);
  const outKw = new Map<string, Val>();
  const joined = (a: Val | undefined, b: Val): Val => (a === undefined ? b : join(a, b));
  for (const p of pieces) {
    if ('text' in p) {
      url.add(constVal(p.text), p.text);
      continue;
    }
    const v = typeof p.field === 'number' ? args[p.field] : kwargs.get(p.field);
    if (!v) {
      url.add(UNKNOWN);
      continue;
    }
    const out = url.add(v);
    if (typeof p.field === 'number') outArgs[p.field] = joined(outArgs[p.field], out);
    else outKw.set(p.field, joined(outKw.get(p.field), out));
  }
  // Arguments no field names add nothing to the text.
  return {
    args: outArgs.map((a) => a ?? CLEAN),
    kwargs: new Map([...kwargs.keys()].map((k) => [k, outKw.get(k) ?? CLEAN])),
  };
}

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
