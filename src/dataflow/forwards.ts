/**
 * The language-neutral parts of project wrappers (see ForwardedCall in query.ts): what a front
 * end's pass over the wrappers leaves each file, how deep a chain of wrappers is followed, and when
 * a sink inside a wrapper is left to the wrapper's callers. The front ends find the wrappers
 * (lang/python/dataflow/forwards.ts, lang/javascript/dataflow/forwards.ts).
 */
import type { Node } from '../parsing/parser.js';
import {
  nodeKey,
  type FileTaintData,
  type ForwardedCall,
  type TaintQuery,
  type TaintTrace,
} from './query.js';

/** How many wrappers deep a value is followed. */
export const MAX_CHAIN = 4;

/** What the pass leaves each file: forwards by call key, and the inner arguments that hand a parameter on. */
export interface FileForwards {
  forwards: Map<string, ForwardedCall[]>;
  forwarded: Set<string>;
}

/** Adds a file's forwards to its stored results. */
export function withForwards(data: FileTaintData, own: FileForwards | undefined): FileTaintData {
  if (own?.forwards.size) data.forwards = Object.fromEntries(own.forwards);
  if (own?.forwarded.size) data.forwarded = [...own.forwarded];
  return data;
}

/** One entry per inner call, parameter and argument position (a wrapper reached by two paths). */
export function dedupeForwards(list: ForwardedCall[]): ForwardedCall[] {
  const seen = new Set<string>();
  return list.filter((f) => {
    const k = `${f.param.name}:${f.location.file}:${f.location.start.line}:${f.location.start.column}:${f.arg.index}:${f.arg.keyword ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Whether a sink's value is a parameter that a project wrapper hands on unchanged, and every
 * source of it came in through the wrapper's parameters (its callers' data), not from a read inside
 * the function itself (`def`, in file `path`): the callers' calls are reported instead, where the
 * value is built.
 */
export function reportedAtCallers(
  taint: TaintQuery,
  arg: Node,
  trace: Extract<TaintTrace, { kind: 'tainted' }>,
  def: Node | undefined,
  path: string,
): boolean {
  if (!taint.forwardsParameter?.(arg) || !def) return false;
  const first = def.startPosition.row + 1;
  const last = def.endPosition.row + 1;
  return trace.sources.every(
    (s) => s.location.file !== path || s.location.start.line < first || s.location.start.line > last,
  );
}

/** "lib/shell.js:4" */
export function placeOf(fw: ForwardedCall): string {
  return `${fw.location.file}:${fw.location.start.line}`;
}

/**
 * What the front ends' wrapper passes keep alike: the answers per function (and the functions being
 * worked out, so recursion ends), each function's own calls, and the inner arguments that hand a
 * parameter on.
 */
export abstract class WrapperIndex<C extends { node: Node }, T> {
  protected readonly memo = new Map<string, ForwardedCall[]>();
  protected readonly busy = new Set<string>();
  protected readonly forwardedArgs = new Map<number, Set<string>>();
  private readonly callsByDef = new Map<number, Map<number, C[]>>();

  /** Every call site of a module. */
  protected abstract callsOf(mod: number): readonly C[];
  /** The function whose own body holds a node. */
  protected abstract enclosing(node: Node): Node | undefined;
  /** The project functions each call ran, by module (the interpreter's record). */
  protected abstract callTargets(): Iterable<[number, Iterable<{ call: Node; targets: Map<string, T> }>]>;
  /** What a function a call ran hands on (its forwards, worked out through the chain). */
  protected abstract forwardsOf(target: T): ForwardedCall[];

  /** Every file's forwards, once the pass is over. */
  compute(): Map<number, FileForwards> {
    const byFile = new Map<number, Map<string, ForwardedCall[]>>();
    for (const [mod, calls] of this.callTargets()) {
      const forwards = new Map<string, ForwardedCall[]>();
      for (const { call, targets } of calls) {
        const list: ForwardedCall[] = [];
        for (const t of targets.values()) list.push(...this.forwardsOf(t));
        if (list.length) forwards.set(nodeKey(call), dedupeForwards(list));
      }
      byFile.set(mod, forwards);
    }
    // The inner arguments were marked while the wrappers' forwards were worked out, above.
    const mods = new Set([...byFile.keys(), ...this.forwardedArgs.keys()]);
    return new Map(
      [...mods].map((mod) => [
        mod,
        { forwards: byFile.get(mod) ?? new Map(), forwarded: this.forwardedArgs.get(mod) ?? new Set() },
      ]),
    );
  }

  /** The calls in a function's own body (not in functions defined inside it). */
  protected callsIn(mod: number, def: Node): C[] {
    let byDef = this.callsByDef.get(mod);
    if (!byDef) {
      byDef = new Map();
      for (const c of this.callsOf(mod)) {
        const fn = this.enclosing(c.node);
        if (!fn) continue;
        const list = byDef.get(fn.id);
        if (list) list.push(c);
        else byDef.set(fn.id, [c]);
      }
      this.callsByDef.set(mod, byDef);
    }
    return byDef.get(def.id) ?? [];
  }

  protected markForwarded(mod: number, arg: Node): void {
    let s = this.forwardedArgs.get(mod);
    if (!s) this.forwardedArgs.set(mod, (s = new Set()));
    s.add(nodeKey(arg));
  }
}
