/**
 * Whether a `.query(...)` or `.eval(...)` call is a pandas DataFrame's. The receiver's type is seldom
 * visible where the call is written: a DataFrame reaches most such calls as a parameter or from a
 * store. The method names are common elsewhere (SQLAlchemy's `session.query(Model)`, a database
 * client's `client.query(sql)`, Redis's `eval(script)`), so the module's own code decides how sure
 * the call is a DataFrame's.
 */
import type { Node } from '../../../../parsing/parser.js';
import type { CallSite, PythonModule } from '../../semantic/scope.js';
import type { SinkOf } from '../../models/concepts.js';
import { importsAny } from '../../helpers/module.js';
import { literalWords, SQL_KEYWORDS } from '../../helpers/strings.js';

/**
 * `known`: the receiver is a value pandas made (`pd.read_csv(p).query(...)`, `df = pd.DataFrame(...)`)
 * or a parameter annotated with a pandas type; `imported`: the module uses pandas and nothing says
 * the receiver is anything else. Undefined: not a DataFrame's method as far as the code shows.
 */
export type DataFrameEvidence = 'known' | 'imported';

/** `df: pd.DataFrame` (or `Optional[pd.DataFrame]`, `pd.DataFrame | None`): a parameter typed by the sink's library. */
function annotatedParameter(receiver: Node, module: PythonModule, library: RegExp): boolean {
  if (receiver.type !== 'identifier') return false;
  const found = module.scopeOf(receiver).lookup(receiver.text);
  const only = found?.bindings.length === 1 ? found.bindings[0] : undefined;
  const type = only?.kind === 'param' ? only.node.childForFieldName('type') : null;
  if (!type) return false;
  return type
    .descendantsOfType(['identifier', 'attribute'])
    .some((n) => n !== null && library.test(`${module.qualifiedName(n) ?? ''}.`));
}

/** How sure a `.query`/`.eval` call matching a pandas method sink is a DataFrame's (see above). */
export function dataFrameEvidence(
  call: CallSite,
  module: PythonModule,
  sink: SinkOf<'code-evaluation'>,
  code: Node,
): DataFrameEvidence | undefined {
  const library = sink.knownCallee;
  if (!library || !call.receiver) return undefined;
  if (call.callee !== undefined) return library.test(call.callee) ? 'known' : undefined;
  if (annotatedParameter(call.receiver, module, library)) return 'known';
  // A client of a database or search service takes its own query language here.
  if (SQL_KEYWORDS.test(literalWords(code))) return undefined;
  return importsAny(module, ['pandas']) ? 'imported' : undefined;
}
