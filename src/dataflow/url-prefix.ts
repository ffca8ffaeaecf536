/**
 * Text that is built piece by piece (a Python f-string or `%`, a template literal, a `+` chain): once
 * the pieces so far fix a URL's scheme and host, data appended later only picks a path, query or
 * fragment on that server. Its facts are then safe for server-side request forgery (CWE-918); they
 * still count for every other weakness. Data after a literal `?` or `#` is a query or fragment
 * whatever comes before it (`f"{obj.path}?{request.GET.urlencode()}"`): it picks neither the server
 * a request goes to nor the site a redirect leads to (CWE-601). Data after a path segment has begun
 * (`f"/auth/sso/{slug}"`, `f"{base}/files/{name}"`) cannot start the URL either: it cannot name a
 * scheme or a `//host`, so it is safe for open redirects (`"/" + x` and `f"https://api.{x}"` are not).
 */
import { sanitize, type Fact, type Val } from './value.js';

export const SSRF = [918];
const QUERY = [918, 601];
const REDIRECT = [601];

/** Stands in the text for a piece that is not constant but carries no source (a configured base URL). */
const OPAQUE = '\u0000';

/**
 * A lead (see SourceInfo `lead`) for text that does not begin with a slash or a backslash
 * (`s.lstrip("/\\")`): after `/` it has begun a path segment.
 */
export const NO_SLASH_LEAD = '_';

/** `scheme://host` followed by `/`, `?` or `#`: the part that picks the server is over. */
const FIXED = /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]+[/?#]/i;

/**
 * Whether text that starts this way fixes the server. A configured value at the start (`f"{base}/x"`)
 * is the base URL when a path, query or fragment follows it; `{scheme}://...` still needs its host.
 */
export function fixesAuthority(text: string): boolean {
  if (FIXED.test(text)) return true;
  if (!text.startsWith(OPAQUE)) return false;
  const rest = text.slice(OPAQUE.length);
  if (rest.startsWith('://')) return FIXED.test(`s${rest}`);
  return /^[^:/?#\\]*(:[^/?#\\]*)?[/?#]/.test(rest);
}

/**
 * `scheme://host:` with nothing after the colon: the port comes next. Text that is safe for path
 * traversal holds no `/`, `.`, `@` or `:` (see the character classes of the front ends), so such
 * data there can only be the port.
 */
const PORT_NEXT = new RegExp(`^(?:[a-z][a-z0-9+.-]*:|${OPAQUE}:)?//[^/?#\\\\@:]+:$`, 'i');

/**
 * Whether text that starts this way has begun a query or fragment (no source before it). A
 * configured URL followed by `&` (`sep.join([self._url, query])`, `&` when the URL has a `?`)
 * goes on with a parameter of its query.
 */
function startsQuery(text: string): boolean {
  return /[?#]/.test(text) || (text.startsWith(OPAQUE) && text.includes('&'));
}

/**
 * A path segment has begun (`/auth/sso/`, `{base}/files/`): data after it cannot start the URL, so
 * it can neither name a scheme nor make a `//host` of its own; where the text leads is settled.
 */
const PATH_STARTED = /\/[^/\\]/;

/** Whether the text so far has begun a path: after a closed authority when it names one. */
function pathStarted(text: string): boolean {
  // `https://api.{x}` and `//{x}` have not closed their host: data there picks the server.
  const names = text.includes('://') || text.startsWith('//') || text.startsWith(`${OPAQUE}//`);
  if (names) return fixesAuthority(text) || /^\/\/[^/?#\\]+\//.test(text);
  return PATH_STARTED.test(text);
}

/** What data that follows text starting this way is safe for. */
export function safeAfter(text: string): readonly number[] | undefined {
  if (startsQuery(text)) return QUERY;
  const path = pathStarted(text);
  if (fixesAuthority(text)) return path ? QUERY : SSRF;
  return path ? REDIRECT : undefined;
}

/** The text every source of a value begins with (see SourceInfo `lead`), or none. */
function sharedLead(v: Val): string {
  const leads = new Set((v.t ?? []).map((f) => f.src.lead ?? ''));
  return leads.size === 1 ? [...leads][0] : '';
}

/**
 * The value known to begin with `text` (`"/" + x`, or `x` where `x.startswith("/")` held): each of
 * its facts' sources says so, unless it already names a longer lead.
 */
export function withLead(v: Val, text: string): Val {
  if (!v.t || !text) return v;
  const t = v.t.map((f): Fact =>
    (f.src.lead ?? '').startsWith(text) ? f : { ...f, src: { ...f.src, lead: text } },
  );
  return { ...v, t };
}

/** Accumulates the pieces of one string as it is built. */
export class UrlPrefix {
  private text = '';
  /** Set at the first piece with data: what later data is safe for (nothing when empty). */
  private safe: readonly number[] | undefined | null = null;
  /** The text the whole begins with, once data came: the constant text before it and its lead. */
  private begun = '';

  /** What the text built so far is known to begin with (`"/" + x.lstrip("/\\")`: `/` and a non-slash). */
  get lead(): string {
    const t = this.safe === null ? this.text : this.begun;
    // The text of a configured piece is not known: only what comes before it leads.
    const i = t.indexOf(OPAQUE);
    return i < 0 ? t : t.slice(0, i);
  }

  /** What data after the first data piece was made safe for (undefined: nothing, or no data yet). */
  get safeAfterData(): readonly number[] | undefined {
    return this.safe ?? undefined;
  }

  /**
   * Adds a piece; tainted data after a fixed server is made safe for CWE-918. `lead` is the literal
   * text a piece starts with when it is itself a string being built (`base + f"/items/{id}"`).
   */
  add(v: Val, constText?: string, lead = ''): Val {
    if (this.safe === null && v.t && PORT_NEXT.test(this.text) && v.t.every((f) => f.san?.includes(22))) {
      // A port of letters, digits, `_` and `-` (`f"http://localhost:{port}"`, `port` matched `\d+`):
      // it names a service of the host already written, not another host; what follows it is
      // judged as after `host:port`.
      this.text += '0';
      return sanitize(v, SSRF);
    }
    if (this.safe === null) {
      if (v.t) {
        this.begun = this.text + (lead || sharedLead(v));
        this.safe = safeAfter(this.begun);
      } else if (constText !== undefined) this.text += constText;
      else if (v.c && !Array.isArray(v.c.v)) this.text += String(v.c.v);
      else this.text += OPAQUE;
    }
    return this.safe && v.t ? sanitize(v, this.safe) : v;
  }
}

/**
 * Whether a regular expression accepts only text that starts with `/` and then a character other
 * than `/` (`^/[^/\\]`, `^\/(?![/\\])`, `^/(?!/)`): a path of this site, not `//host`. `anchored`: the
 * match is tried at the start only (Python's `re.match`), so `^` may be left out. `backslash` says
 * whether the second character may not be `\` either (browsers read `/\host` as `//host`).
 */
export function sitePathPattern(pattern: string, anchored: boolean): { backslash: boolean } | undefined {
  if (!pattern.startsWith('^') && !anchored) return undefined;
  const p = pattern.replace(/^\^/, '').replace(/\\\//g, '/');
  const m = /^\/(?:\[\^([^\]]*)\]|\(\?!(?:\[([^\]]*)\]|(\/))\))/.exec(p);
  const refused = m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  return refused?.includes('/') ? { backslash: refused.includes('\\\\') } : undefined;
}
