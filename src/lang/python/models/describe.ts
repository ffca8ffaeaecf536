/** The models' sinks of some concepts as Markdown, for the rule documentation. */
import type { SinkConcept } from '../../../dataflow/concepts.js';
import type { SinkModel } from './concepts.js';
import { MODELS } from './index.js';

const BASE_KEYS = new Set([
  'concept',
  'calls',
  'args',
  'keywords',
  'stores',
  'what',
  'receiver',
  'knownCallee',
  'notCallee',
  'whenArgument',
  'argumentText',
  'within',
  'splats',
]);

function attributeText(key: string, value: unknown): string {
  if (typeof value === 'object' && value !== null && 'keyword' in value)
    return `${key} when \`${String(value.keyword)}\` is true`;
  if (Array.isArray(value)) return `${key}: ${value.map((v) => `\`${String(v)}\``).join(', ')}`;
  return value === true ? key : `${key}: ${String(value)}`;
}

/** "`os.rename` (argument 2 or `dst=`; destination path)" */
function entryText(sink: SinkModel): string {
  const names = [
    ...(sink.calls ?? []).map((c) => (c.startsWith('.') ? `\`*${c}()\`` : `\`${c}()\``)),
    ...(sink.stores ?? []).map((s) => `\`${s.object ?? `*.${s.attribute}`}[...] = value\``),
  ];
  const notes: string[] = [];
  if (sink.calls?.length) {
    const args = (sink.args ?? [0]).map((a) => `${a + 1}`);
    const where = [
      ...(args.length ? [`argument ${args.join(', ')}`] : []),
      ...(sink.keywords ?? []).map((k) => `\`${k}=\``),
    ];
    if (where.length) notes.push(where.join(' or '));
  }
  if (sink.receiver) notes.push(`on a receiver matching \`${sink.receiver.source}\``);
  if (sink.whenArgument) {
    const w = sink.whenArgument;
    const at = `argument ${w.index + 1}${w.keyword ? ` or \`${w.keyword}=\`` : ''}`;
    notes.push(`when ${at} is written as \`${w.text.source}\``);
  }
  if (sink.argumentText) notes.push(`when that argument is written as \`${sink.argumentText.source}\``);
  if (sink.splats) notes.push('`*parts` too');
  if (sink.within) {
    const w = sink.within;
    const returned = w.returned ? ', in what it returns' : '';
    notes.push(
      `in \`${w.methods.join('`, `')}\` of a subclass of \`${w.bases[0] ?? ''}\` and the like${returned}`,
    );
  }
  if (sink.what) notes.push(sink.what);
  for (const [key, value] of Object.entries(sink)) {
    if (!BASE_KEYS.has(key)) notes.push(attributeText(key, value));
  }
  return `${names.join(', ')}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** One bullet per framework model that has sinks of the concepts the rule traces. */
export function sinkDocs(concepts: readonly SinkConcept[]): string[] {
  return MODELS.flatMap((m) => {
    // Untraced entries are for structural checks, not the rule these docs describe.
    const sinks = (m.sinks ?? []).filter((s) => concepts.includes(s.concept) && !s.untraced);
    return sinks.length ? [`- ${m.name}: ${sinks.map(entryText).join('; ')}`] : [];
  });
}
