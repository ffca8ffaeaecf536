/**
 * Request data stored in a model's field and read back elsewhere (second-order flows). A record a
 * lookup returns holds stored data, which is not a source by default (records.ts): the request
 * chose which row, not what it holds. A field counts as the client's only where the pass proved
 * both ends on a model class the ORM persists (`RECORD_BASES`: a Django, peewee or Tortoise
 * model):
 * - the write: a root that handles a request saved its data in the field, by the manager
 *   (`Watch.objects.create(url=u)`, `.update(url=u)`, `get_or_create`/`update_or_create`, an
 *   active-record `Watch.create(url=u)`) or on an instance it then saved (`Watch(url=u).save()`,
 *   `w = Watch.objects.get(pk=pk); w.url = u; w.save()`), or by a form or serializer bound to the
 *   model (`RECORD_FORMS`) made with the request's data, for the fields its `Meta` lists;
 * - the read: that field of a row of the same class that a lookup returned (`Watch.objects.get(...)`,
 *   `get_object_or_404(Watch, ...)`, the rows a queryset iterates), or of the instance a model's own
 *   method runs on as a root (`self.url`).
 * Only fields declared to hold free text count (`url = models.URLField()`: a number or a date is
 * converted when saved, `choices` or the project's `validators` limit it), only the client's data is kept (`user` and `admin` facts, each with its trust and checks), and
 * it counts for the weaknesses where data from storage does the same harm as data from the request
 * (`STORED_CWES`); a link a user saved and the site later redirects to is the product's choice.
 * The functions that read a stored field run again as roots after the entry points (the driver's
 * `laterRoots`), since a worker or a view may have run before the handler that writes it.
 */
import { attrKey } from '../../../dataflow/heap.js';
import { textTest } from '../../../dataflow/text-reads.js';
import type { EntryFunction } from '../../../dataflow/driver.js';
import type { Fact, SourceInfo, Val } from '../../../dataflow/value.js';
import type { Node } from '../../../parsing/parser.js';
import { escapeRegExp } from '../../../core/escape.js';
import { evalExpr } from './expressions.js';
import { inherits } from './entry-points.js';
import type { Frame, Interpreter } from './interpreter.js';
import {
  RECORD_BASES,
  RECORD_FORM_CHECK_PREFIXES,
  RECORD_FORM_READ_ONLY,
  RECORD_FORMS,
  RECORD_VIEWS,
} from '../models/index.js';
import { classAdminGuard } from './admin-routes.js';
import { moduleEnv } from './modules.js';
import { field, named, textOf } from './syntax.js';
import { elements } from './targets.js';

/**
 * The weaknesses stored request data counts for: the injections, files, outgoing requests and
 * markup. Not an open redirect (a site that sends users to the links they saved chose to), log
 * forging or the trust boundary of a session.
 */
export const STORED_CWES: readonly number[] = [
  22, 73, 77, 78, 79, 88, 89, 90, 94, 95, 502, 611, 643, 918, 943, 1336,
];

/**
 * The model fields that hold text as it was written (Django's, peewee's and Tortoise's): the value
 * of any other field (a number, a date, a key, a flag) is converted when it is saved. A slug is
 * not: forms and serializers keep it to letters, digits, `-` and `_` (Django's `validate_slug`).
 */
const TEXT_FIELD = /\.(CharField|TextField|URLField|EmailField|FilePathField|JSONField|FixedCharField)\(\)$/;

/**
 * Whether a model class (or a base) declares the field as one that holds text, free: not limited
 * to `choices` nor checked by `validators` of the project's.
 */
function textField(it: Interpreter, cls: number, name: string): boolean {
  const declared = it.heap.classLookup(cls, attrKey(name));
  if (!declared?.fns?.some((f) => f.kind === 'lib' && TEXT_FIELD.test(f.name))) return false;
  const text = declarationText(it, declaringClass(it, cls, name) ?? cls, name);
  return !text || !/\b(choices|validators)\s*=/.test(text);
}

/** The class among a class and its bases whose body assigns the attribute. */
function declaringClass(
  it: Interpreter,
  cls: number,
  name: string,
  seen = new Set<number>(),
): number | undefined {
  const c = it.heap.get(cls);
  if (!c || seen.has(cls)) return undefined;
  seen.add(cls);
  if (c.fields.has(attrKey(name))) return cls;
  for (const b of c.bases ?? []) {
    const found = declaringClass(it, b, name, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The text of the statement of a class body that assigns the attribute (`url = models.URLField(...)`). */
function declarationText(it: Interpreter, cls: number, name: string): string | undefined {
  for (const [key, id] of it.classOfDef) {
    if (id !== cls) continue;
    const [mod, nodeId] = key.split(':').map(Number);
    const def = it
      .mods(mod)
      .file.tree.rootNode.descendantsOfType('class_definition')
      .find((n) => n.id === nodeId);
    for (const st of def ? named(field(def, 'body') ?? def) : []) {
      const a = st.type === 'expression_statement' ? named(st)[0] : undefined;
      const left = a?.type === 'assignment' ? field(a, 'left') : undefined;
      if (left?.type === 'identifier' && textOf(left) === name) return textOf(a!);
    }
  }
  return undefined;
}

/** Manager methods that write their keywords into a new or existing row. */
const WRITING_METHODS: ReadonlySet<string> = new Set([
  'create',
  'update',
  'get_or_create',
  'update_or_create',
]);

/** Methods that persist an instance's fields. */
const SAVING_METHODS: ReadonlySet<string> = new Set(['save']);

interface StoredState {
  /** Record objects a lookup made, by heap id: the model classes they are rows of. */
  rows: Map<number, readonly number[]>;
  /** By `class:field`: the client's data written there, and where; `at`: the tick of the last new fact. */
  writes: Map<string, { cls: number; field: string; facts: Fact[]; at: number }>;
  /** A clock: one tick per root started and per new fact stored. */
  tick: number;
  /** By `module:start` of a function: the tick at which it last began to run as a root. */
  ranAt: Map<string, number>;
  /** Whether the views that save forms with no code (viewSaves) were read. */
  views: boolean;
}

const states = new WeakMap<Interpreter, StoredState>();

function state(it: Interpreter): StoredState {
  let s = states.get(it);
  if (!s)
    states.set(it, (s = { rows: new Map(), writes: new Map(), tick: 0, ranAt: new Map(), views: false }));
  return s;
}

/** The model classes (persisted by an ORM) among a value's objects. */
export function modelClasses(it: Interpreter, v: Val): number[] {
  return (v.o ?? []).filter((id) => it.heap.get(id)?.kind === 'class' && inherits(it, id, RECORD_BASES));
}

/**
 * The model classes a lookup or write chain starts from: `Watch` in `Watch.objects.filter(...)`,
 * `models.Watch.objects`, an active-record `Watch.select().where(...)`. Only names and attributes
 * of names are read (nothing is called again).
 */
export function chainModels(it: Interpreter, recvNode: Node, frame: Frame): number[] {
  let n: Node | null = recvNode;
  while (n) {
    if (n.type === 'call') n = field(n, 'function');
    else if (n.type === 'attribute' && !dottedName(n)) n = field(n, 'object');
    else break;
  }
  // The longest dotted name at the start of the chain, then its prefixes.
  for (let m: Node | null = n; m && (m.type === 'identifier' || m.type === 'attribute');) {
    const classes = modelClasses(it, evalExpr(it, m, frame, frame.env.vars));
    if (classes.length) return classes;
    m = m.type === 'attribute' ? field(m, 'object') : null;
  }
  return [];
}

function dottedName(n: Node): boolean {
  return (
    n.type === 'identifier' ||
    (n.type === 'attribute' && !!field(n, 'object') && dottedName(field(n, 'object')!))
  );
}

/** Marks a record a lookup returned as a row of these model classes. */
export function asRows(it: Interpreter, record: Val, classes: readonly number[]): Val {
  if (!classes.length) return record;
  for (const id of record.o ?? []) state(it).rows.set(id, classes);
  return record;
}

/** Marks a copy of a record object (one with a field narrowed) as a row of the same model classes. */
export function sameRow(it: Interpreter, id: number, copy: number): void {
  const rows = state(it).rows;
  const classes = rows.get(id);
  if (classes) rows.set(copy, classes);
}

/** The rows a record object holds when iterated (a queryset's), as the same record. */
export function iteratedRows(it: Interpreter, v: Val): Val | undefined {
  const rows = state(it).rows;
  return v.o?.length && v.o.every((id) => rows.has(id)) ? v : undefined;
}

/** The model classes of an object: a row a lookup returned, or an instance of a model class. */
function classesOf(it: Interpreter, id: number): readonly number[] {
  const row = state(it).rows.get(id);
  if (row) return row;
  const o = it.heap.get(id);
  return o?.kind === 'instance' && o.cls !== undefined && inherits(it, o.cls, RECORD_BASES) ? [o.cls] : [];
}

/** Notes the client's data among `values` as stored in these fields of these classes. */
function store(
  it: Interpreter,
  classes: readonly number[],
  values: Iterable<[string, Val]>,
  mod: number,
  node: Node,
): void {
  if (!classes.length) return;
  for (const [name, v] of values) {
    const facts = (it.heap.deepData(v).t ?? []).filter(
      (f) => f.src.trust === 'user' || f.src.trust === 'admin',
    );
    if (!facts.length) continue;
    for (const cls of classes) {
      if (!textField(it, cls, name)) continue;
      const key = `${cls}:${name}`;
      const model = it.heap.get(cls)?.name ?? 'the model';
      const step = it.step(mod, node, `stored in \`${model}.${name}\``);
      const written = facts.map((f) => ({ ...f, steps: [...f.steps, step] }));
      const st = state(it);
      const prev = st.writes.get(key);
      const added = prev
        ? written.filter((f) => !prev.facts.some((p) => p.src.node.id === f.src.node.id))
        : written;
      if (!added.length) continue;
      if (prev) {
        prev.facts.push(...added);
        prev.at = ++st.tick;
      } else st.writes.set(key, { cls, field: name, facts: written, at: ++st.tick });
    }
  }
}

/**
 * A manager call that writes its keywords (`Watch.objects.create(url=u)`, `qs.update(url=u)`,
 * `get_or_create(name=n, defaults={"url": u})`): notes them as stored.
 */
export function managerWrite(
  it: Interpreter,
  method: string,
  recvNode: Node,
  kwargs: ReadonlyMap<string, Val>,
  frame: Frame,
  node: Node,
): void {
  if (!WRITING_METHODS.has(method) || !kwargs.size || kwargs.has('**')) return;
  const classes = chainModels(it, recvNode, frame);
  if (!classes.length) return;
  const values: [string, Val][] = [...kwargs].filter(([k]) => k !== 'defaults');
  for (const id of kwargs.get('defaults')?.o ?? []) {
    const o = it.heap.get(id);
    if (o?.kind !== 'dict') continue;
    for (const [k, v] of o.fields) if (k.startsWith('k:')) values.push([String(JSON.parse(k.slice(2))), v]);
  }
  store(it, classes, values, frame.mod, node);
}

/**
 * `form.save()` on a form or serializer bound to a model (`RECORD_FORMS`): the fields its `Meta`
 * lists (`fields = ["url"]`, `"__all__"`, or all but `exclude`) are written from the data it was
 * made with (`WatchForm(request.POST)`), but a field the form declares itself (a `ChoiceField`),
 * checks in a method of its own (`clean_<field>`, `validate_<field>`), its `Meta` makes read-only,
 * or the model keeps off forms (`editable=False`).
 */
export function formSave(it: Interpreter, method: string, recv: Val, frame: Frame, node: Node): void {
  if (!SAVING_METHODS.has(method)) return;
  for (const id of recv.o ?? []) {
    const o = it.heap.get(id);
    if (o?.kind !== 'instance' || o.cls === undefined || !inherits(it, o.cls, RECORD_FORMS)) continue;
    const written = formFields(it, o.cls);
    const data = it.heap.deepData({ o: [id] });
    if (!written || !data.t) continue;
    store(
      it,
      written.models,
      written.names.map((n): [string, Val] => [n, data]),
      frame.mod,
      node,
    );
  }
}

/** The model classes a bound form class saves, and the fields of theirs it writes from its data. */
function formFields(it: Interpreter, form: number): { models: number[]; names: string[] } | undefined {
  const meta = (it.heap.classLookup(form, attrKey('Meta'))?.o ?? []).find(
    (m) => it.heap.get(m)?.kind === 'class',
  );
  if (meta === undefined) return undefined;
  const models = modelClasses(it, it.heap.classLookup(meta, attrKey('model')) ?? {});
  if (!models.length) return undefined;
  const readOnly = RECORD_FORM_READ_ONLY.flatMap(
    (a) => constStrings(it, it.heap.classLookup(meta, attrKey(a))) ?? [],
  );
  const names = metaFields(it, meta, models).filter(
    (n) =>
      !readOnly.includes(n) &&
      !it.heap.classLookup(form, attrKey(n)) &&
      !RECORD_FORM_CHECK_PREFIXES.some((p) => it.heap.classLookup(form, attrKey(`${p}${n}`))) &&
      models.every((m) => editable(it, m, n)),
  );
  return { models, names };
}

/**
 * The class-based views that save a bound form or serializer from the request's data with no
 * code of the project's (`RECORD_VIEWS`: a `ModelViewSet` with its `serializer_class`, a
 * `CreateView` with its `form_class` or its `model` and `fields`): the fields that form writes
 * hold the client's data (an administrator's, behind an admin-only permission), as if a handler
 * had saved them. A view that allows no method that writes (`http_method_names`) saves nothing.
 */
function viewSaves(it: Interpreter): void {
  // The modules that name such a base or attribute (a project's own base may be elsewhere).
  const words = RECORD_VIEWS.flatMap((v) => [
    v.attribute,
    ...[...v.bases].map((b) => b.split('.').pop() ?? b),
  ]);
  const text = new RegExp(`\\b(${[...new Set(words)].map(escapeRegExp).join('|')})\\b`);
  for (let i = 0; i < it.modules.count; i++) {
    if (!it.isProjectCode(i) || !textTest(it.modules, i, text)) continue;
    moduleEnv(it, i);
    for (const def of it.mods(i).file.tree.rootNode.descendantsOfType('class_definition')) {
      const cls = it.classOfDef.get(`${i}:${def.id}`);
      if (cls === undefined) continue;
      const view = RECORD_VIEWS.find((v) => inherits(it, cls, v.bases));
      if (!view || !writesByMethod(it, cls)) continue;
      const forms = (it.heap.classLookup(cls, attrKey(view.attribute))?.o ?? []).filter(
        (f) => it.heap.get(f)?.kind === 'class' && inherits(it, f, RECORD_FORMS),
      );
      const written: { models: number[]; names: string[] }[] = [];
      for (const f of forms) {
        const w = formFields(it, f);
        if (w) written.push(w);
      }
      // A form made from the view's own `model` and `fields`.
      if (!forms.length) {
        const models = modelClasses(it, it.heap.classLookup(cls, attrKey('model')) ?? {});
        if (models.length)
          written.push({
            models,
            names: metaFields(it, cls, models).filter((n) => models.every((m) => editable(it, m, n))),
          });
      }
      if (!written.length) continue;
      const name = field(def, 'name') ?? def;
      const guard = classAdminGuard(it, i, def);
      const src: SourceInfo = {
        file: it.modules.path(i),
        node: name,
        label: `the request's data \`${textOf(name)}\` saves`,
        trust: guard ? 'admin' : 'user',
        ...(guard ? { guard } : {}),
      };
      const data: Val = { t: [{ src, steps: [] }] };
      for (const w of written)
        store(
          it,
          w.models,
          w.names.map((n): [string, Val] => [n, data]),
          i,
          name,
        );
    }
  }
}

/** HTTP methods that create or update a record. */
const WRITING_HTTP_METHODS = ['post', 'put', 'patch'];

/** Whether a view allows a method that writes: its `http_method_names`, when listed, name one. */
function writesByMethod(it: Interpreter, cls: number): boolean {
  const listed = constStrings(it, it.heap.classLookup(cls, attrKey('http_method_names')));
  return !listed || listed.some((m) => WRITING_HTTP_METHODS.includes(m.toLowerCase()));
}

/** Whether a model field may be on a form: not declared `editable=False`. */
function editable(it: Interpreter, cls: number, name: string): boolean {
  const text = declarationText(it, declaringClass(it, cls, name) ?? cls, name);
  return !text || !/\beditable\s*=\s*False\b/.test(text);
}

/** Whether a class is a form or serializer bound to a model (see formSave). */
export function boundForm(it: Interpreter, cls: number): boolean {
  return inherits(it, cls, RECORD_FORMS);
}

/** The model fields a form's `Meta` names: `fields` listed, or every field for `"__all__"` or `exclude`. */
function metaFields(it: Interpreter, meta: number, models: readonly number[]): string[] {
  const listed = constStrings(it, it.heap.classLookup(meta, attrKey('fields')));
  if (listed) return listed;
  const all = it.heap.classLookup(meta, attrKey('fields'))?.c?.v === '__all__';
  const exclude = constStrings(it, it.heap.classLookup(meta, attrKey('exclude')));
  if (!all && !exclude) return [];
  const out = new Set<string>();
  for (const cls of models) for (const k of allFields(it, cls)) if (!exclude?.includes(k)) out.add(k);
  return [...out];
}

/** The attributes a class and its bases assign. */
function allFields(it: Interpreter, cls: number, seen = new Set<number>()): string[] {
  const c = it.heap.get(cls);
  if (!c || seen.has(cls)) return [];
  seen.add(cls);
  const own = [...c.fields.keys()].filter((k) => k.startsWith('a:')).map((k) => k.slice(2));
  return [...own, ...(c.bases ?? []).flatMap((b) => allFields(it, b, seen))];
}

/** A list or tuple of constant strings, written out. */
function constStrings(it: Interpreter, v: Val | undefined): string[] | undefined {
  if (!v || (!v.c && !v.o)) return undefined;
  const items = elements(it, v).exact;
  const out = items?.map((x) => x.c?.v);
  return out?.every((x) => typeof x === 'string') ? (out as string[]) : undefined;
}

/** `obj.save()` on a model instance or a looked-up row: the fields the code set on it are stored. */
export function saveWrite(it: Interpreter, method: string, recv: Val, frame: Frame, node: Node): void {
  if (!SAVING_METHODS.has(method)) return;
  for (const id of recv.o ?? []) {
    const classes = classesOf(it, id);
    const o = it.heap.get(id);
    if (!classes.length || !o) continue;
    const values: [string, Val][] = [];
    for (const [k, v] of o.fields) if (k.startsWith('a:')) values.push([k.slice(2), v]);
    store(it, classes, values, frame.mod, node);
  }
}

/**
 * What a field of a row holds when the code did not set it: the client's data a root stored
 * there, read back (undefined when none was). A row's own field stays unknown otherwise.
 */
export function storedField(
  it: Interpreter,
  id: number,
  attr: string,
  mod: number,
  node: Node,
): Val | undefined {
  const o = it.heap.get(id);
  if (!o || o.fields.has(attrKey(attr))) return undefined;
  // A row a lookup returned, or the instance a model's method runs on as a root.
  const classes = state(it).rows.get(id) ?? (o.fresh ? classesOf(it, id) : []);
  let facts: Fact[] = [];
  for (const cls of classes) facts = [...facts, ...(state(it).writes.get(`${cls}:${attr}`)?.facts ?? [])];
  if (!facts.length) return undefined;
  const model = it.heap.get(classes[0])?.name ?? 'the model';
  const read = it.step(mod, node, `read back from the stored \`${model}.${attr}\``);
  const t = facts.map((f): Fact => {
    const onlyFor = f.src.onlyFor ? f.src.onlyFor.filter((c) => STORED_CWES.includes(c)) : STORED_CWES;
    const label = `${f.src.label}, stored in \`${model}.${attr}\``;
    return { ...f, src: { ...f.src, label, onlyFor, stored: true }, steps: [...f.steps, read] };
  });
  return { t, unk: true };
}

/**
 * The project functions to run again as roots once the entry points have run: those that name a
 * class whose field a root stored the client's data in, and that field as an attribute.
 */
/**
 * Notes that a function begins to run as a root. Before the first, the views that save a form
 * with no code of the project's are read: what they store is known before anything reads it.
 */
export function rootStarts(it: Interpreter, mod: number, def: Node): void {
  const st = state(it);
  if (!st.views) {
    st.views = true;
    viewSaves(it);
  }
  st.ranAt.set(`${mod}:${def.startIndex}`, ++st.tick);
}

export function readingRoots(it: Interpreter): EntryFunction[] {
  const st = state(it);
  if (!st.views) {
    st.views = true;
    viewSaves(it);
  }
  const writes = [...st.writes.values()];
  if (!writes.length) return [];
  const names = [...new Set(writes.map((w) => it.heap.get(w.cls)?.name).filter((n): n is string => !!n))];
  const fields = [...new Set(writes.map((w) => w.field))];
  if (!names.length) return [];
  const cls = new RegExp(`\\b(${names.map(escapeRegExp).join('|')})\\b`);
  const attr = new RegExp(`\\.(${fields.map(escapeRegExp).join('|')})\\b`);
  const out: EntryFunction[] = [];
  for (let i = 0; i < it.modules.count; i++) {
    if (!it.isProjectCode(i)) continue;
    if (!textTest(it.modules, i, attr) || !textTest(it.modules, i, cls)) continue;
    for (const f of it.functions(i)) {
      if (!attr.test(f.text)) continue;
      const owner = enclosingClassName(f.def) ?? '';
      if (!cls.test(f.text) && !cls.test(owner)) continue;
      // A root that began after the last of the writes it may read saw them all already.
      const ran = st.ranAt.get(`${f.mod}:${f.def.startIndex}`);
      const reads = writes.filter((w) => {
        const name = it.heap.get(w.cls)?.name;
        return (
          !!name &&
          new RegExp(`\\.${escapeRegExp(w.field)}\\b`).test(f.text) &&
          new RegExp(`\\b${escapeRegExp(name)}\\b`).test(`${f.text} ${owner}`)
        );
      });
      if (ran === undefined || reads.some((w) => w.at > ran)) out.push(f);
    }
  }
  return out;
}

function enclosingClassName(def: Node): string | undefined {
  for (let n = def.parent; n; n = n.parent)
    if (n.type === 'class_definition') return textOf(field(n, 'name') ?? n);
  return undefined;
}
