import type { Node } from '../../../../parsing/parser.js';
import { enclosingFunction } from '../../helpers/functions.js';
import { isSecretValueName, snakeCase } from '../../helpers/names.js';
import { stringValue } from '../../helpers/constants.js';
import type { PythonModule } from '../../semantic/scope.js';

/**
 * Values that carry a secret's name but are not the secret: a few leading or trailing characters, a copy
 * whose secret fields were masked, a push token used as a device's address, an object whose text form is
 * its repr.
 */

/** At most this many characters of a secret identify it without giving it away (`token[:4]`, `key[-4:]`). */
const FEW_CHARACTERS = 6;

/** `token[:4]`, `token[0:4]`, `key[-4:]`. */
export function isShortSlice(subscript: Node): boolean {
  const slice = subscript.childForFieldName('subscript');
  if (slice?.type !== 'slice') return false;
  const m = /^\s*(?:0\s*)?:\s*(\d+)\s*$/.exec(slice.text) ?? /^\s*-\s*(\d+)\s*:\s*$/.exec(slice.text);
  return m !== null && Number(m[1]) <= FEW_CHARACTERS;
}

/** A mask written over a secret: 'REDACTED', '***', '<hidden>'. */
const MASK = /redact|\*{3,}|^x{4,}$|hidden|masked|censored|removed|^\.\.\.$/i;
/** Calls whose result has the secret masked or removed. */
const REDACTING_CALL = /redact|mask|sanitiz|scrub|censor|obfuscat|hide|strip_secret|without_secret/i;
/** Keyword arguments that name where a message goes: a push token passed as `to=` is a device address. */
const RECIPIENT =
  /^(to|recipients?|device|device_token|registration_(id|ids|token|tokens)|push_token|address|destination)$/;
/** Methods of text, bytes and dicts: a variable used with them is a value, not an opaque object. */
const VALUE_METHODS = new Set(
  (
    'encode decode strip lstrip rstrip split rsplit splitlines startswith endswith lower upper casefold replace ' +
    'format join hex find index count partition rpartition zfill ljust rjust center isdigit isalnum isalpha ' +
    'get items keys values update copy pop popitem setdefault'
  ).split(' '),
);

const sameName = (n: Node | null | undefined, name: string): boolean =>
  n?.type === 'identifier' && n.text === name;

function isMask(n: Node | null | undefined, module: PythonModule): boolean {
  const text = n ? stringValue(n, module) : undefined;
  return text !== undefined && MASK.test(text);
}

/** The variable's value was built by masking: a redacting call, a comprehension writing a mask, `x[k] = "REDACTED"`. */
function isRedacted(name: string, scope: Node, module: PythonModule): boolean {
  for (const a of scope.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left');
    const right = a?.childForFieldName('right');
    if (!left || !right) continue;
    if (left.type === 'subscript' && sameName(left.childForFieldName('value'), name) && isMask(right, module))
      return true;
    if (!sameName(left, name)) continue;
    if (right.type === 'call' && REDACTING_CALL.test(right.childForFieldName('function')?.text ?? ''))
      return true;
    if (
      /comprehension$/.test(right.type) &&
      right.descendantsOfType('string').some((s) => s !== null && isMask(s, module))
    )
      return true;
  }
  return false;
}

function isRecipient(name: string, scope: Node): boolean {
  return scope
    .descendantsOfType('keyword_argument')
    .some(
      (k) =>
        k !== null &&
        RECIPIENT.test(k.childForFieldName('name')?.text ?? '') &&
        sameName(k.childForFieldName('value'), name),
    );
}

/**
 * The variable is an object (a database row, a token record): the code reads its fields (`token.expires_at`),
 * none of them secret-named, and never uses it as text or a dict. Logging it writes its repr.
 */
function isOpaqueObject(name: string, scope: Node): boolean {
  let fields = 0;
  for (const attr of scope.descendantsOfType('attribute')) {
    if (!attr || !sameName(attr.childForFieldName('object'), name)) continue;
    const field = attr.childForFieldName('attribute')?.text ?? '';
    if (VALUE_METHODS.has(field) || isSecretValueName(field)) return false;
    fields++;
  }
  if (fields === 0) return false;
  return !scope
    .descendantsOfType('subscript')
    .some((s) => s !== null && sameName(s.childForFieldName('value'), name));
}

/** True when the secret-named variable holds something other than the secret itself. */
export function notTheSecret(identifier: Node, module: PythonModule): boolean {
  const scope = enclosingFunction(identifier) ?? module.file.tree.rootNode;
  const name = identifier.text;
  return isRedacted(name, scope, module) || isRecipient(name, scope) || isOpaqueObject(name, scope);
}

/** Words of a function's name that say the tokens it handles are a device's push address. */
const DEVICE_WORDS = /(^|_)(push|device|devices|apns|fcm|gcm)($|_)/i;
/** Token names with no other secret word: `token`, `token_str`, `device_token`, `push_token`. */
const PLAIN_TOKEN = /^((device|push|registration|apns|fcm|gcm)_)?tokens?(_(str|string|value|hex))?$/i;

/**
 * A push token: `device_token`, `push_token` or `registration_token` by its name, or a plain `token` in a
 * function named for push devices (`add_push_device_token(user, token_str)`). It is the address the push
 * services (APNs, FCM) deliver to a device at, worthless without the sending server's own credentials.
 */
export function isPushToken(name: string, at: Node): boolean {
  const snake = snakeCase(name).toLowerCase();
  if (/^(device|push|registration|apns|fcm|gcm)_tokens?$/.test(snake)) return true;
  if (!PLAIN_TOKEN.test(snake)) return false;
  const fn = enclosingFunction(at)?.childForFieldName('name')?.text ?? '';
  return DEVICE_WORDS.test(snakeCase(fn));
}

/** Exceptions that say a token or key was refused: invalid, malformed, expired, unknown. */
const REFUSED_ERROR =
  /Invalid|Malformed|Expired|BadSignature|BadToken|DoesNotExist|NotFound|Unknown|Mismatch|Denied/;

/** `has_api_key_format(token)`, `is_valid(token)`: a call that checks the variable. */
function checks(condition: Node, name: string): boolean {
  const call = condition.type === 'call' ? condition : undefined;
  const args = call?.childForFieldName('arguments')?.namedChildren ?? [];
  return args.some(
    (a) =>
      sameName(a, name) || (a?.type === 'keyword_argument' && sameName(a.childForFieldName('value'), name)),
  );
}

/**
 * Where the logging call shows that the secret-named variable was refused: in the branch of an `if not
 * check(token):`, or in a handler of an exception named for a refusal (`except InvalidTokenError:`) around
 * code that used it. What was refused there opens nothing (a malformed or unknown token), for the message.
 */
export function refusedAt(call: Node, identifier: Node): string | undefined {
  const name = identifier.text;
  const def = enclosingFunction(call);
  let child: Node = call;
  for (let n = call.parent; n && n.id !== def?.id; child = n, n = n.parent) {
    if (n.type === 'if_statement' && n.childForFieldName('consequence')?.id === child.id) {
      const condition = n.childForFieldName('condition');
      const tested = condition?.type === 'not_operator' ? condition.childForFieldName('argument') : undefined;
      if (tested && checks(tested, name)) return `\`${condition!.text.replace(/\s+/g, ' ').slice(0, 60)}\``;
    }
    if (n.type === 'except_clause') {
      const type = n.namedChildren.find((c) => c && c.type !== 'block' && c.type !== 'comment');
      const error = type?.text ?? '';
      const tried = n.parent?.type === 'try_statement' ? n.parent.childForFieldName('body') : undefined;
      const uses = tried?.descendantsOfType('identifier').some((i) => i?.text === name) ?? false;
      if (REFUSED_ERROR.test(error) && uses) return `\`except ${error.replace(/\s+/g, ' ').slice(0, 60)}\``;
    }
  }
  return undefined;
}
