/**
 * Records read from storage: a row a database lookup returns (`Shelf.objects.get(pk=pk)`,
 * `get_object_or_404(Shelf, pk=pk)`, `session.get(User, uid)`, a ModelForm's `form.save()`). The
 * request's values chose which record; they are not its contents, so its attributes are stored data,
 * a source only where a request handler is proven to have saved the client's data in that field
 * (stored.ts). The record is a fresh object: what the request writes into it afterwards
 * (`shelf.url = request.GET["u"]`) is read back tainted.
 */
import { attrKey } from '../../../dataflow/heap.js';
import type { Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import type { Interpreter } from './interpreter.js';
import { QUERY_METHODS } from './specs.js';
import { textOf } from './syntax.js';

/**
 * A new record with no attribute known yet (reading one gives a value of unknown origin). It may be
 * None (`.first()`, `get_or_none`): its truth is unknown.
 */
export function storedRecord(it: Interpreter): Val {
  return { o: [it.heap.alloc({ kind: 'instance', fields: new Map() })], unk: true };
}

/** Whether `recv.method(args)` looks up stored records. */
export function isRecordLookup(
  it: Interpreter,
  recv: Val,
  method: string,
  recvNode: Node,
  argNodes: readonly Node[],
  kwargs: ReadonlyMap<string, Val>,
): boolean {
  const text = textOf(recvNode);
  const first = argNodes[0] ? textOf(argNodes[0]) : undefined;
  // Field lookups only (`filter(id=file_id)`); `**` is a splat of unknown keys.
  const lookups = argNodes.length === 0 && kwargs.size > 0 && !kwargs.has('**');
  if (
    !QUERY_METHODS.some(
      (q) =>
        (q.methods.has(method) || !!q.methodPattern?.test(method)) &&
        (q.receiver.test(text) || (!!q.keywordLookups && lookups)) &&
        (!q.firstArgument || (first !== undefined && q.firstArgument.test(first))),
    )
  )
    return false;
  // The project's own method of that name (a repository class's `get`) is run instead, and a
  // container's (`CONFIG.get(key)`) is its summary.
  return !definesMethod(it, recv, method) && !isContainer(it, recv);
}

/** Whether a project object's class defines the method itself. */
export function definesMethod(it: Interpreter, recv: Val, method: string): boolean {
  return (recv.o ?? []).some((id) => {
    const o = it.heap.get(id);
    const cls = o?.kind === 'instance' ? o.cls : o?.kind === 'class' ? id : undefined;
    if (cls === undefined) return false;
    return !!it.heap.classLookup(cls, attrKey(method))?.fns?.some((f) => f.kind === 'fn');
  });
}

function isContainer(it: Interpreter, recv: Val): boolean {
  return (recv.o ?? []).some((id) => {
    const k = it.heap.get(id)?.kind;
    return k === 'dict' || k === 'list';
  });
}
