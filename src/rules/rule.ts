import type { Confidence, FindingKind, FlowStep, ProjectFacts, Severity } from '../core/index.js';
import type { TaintHit, TaintQuery, TaintSource, Trust } from '../dataflow/index.js';
import type { SinkConcept } from '../dataflow/concepts.js';
import type { LanguageId, SemanticModel } from '../lang/language.js';
import type { Node, SourceFile } from '../parsing/parser.js';

/** What a rule reports: a node of the tree and a message that names the code involved. */
export interface ReportDescriptor {
  node: Node;
  /** Extend the primary location to this node (for multi-node matches). */
  endNode?: Node;
  message: string;
  /** Override the rule's defaults when the evidence is stronger or weaker at this site. */
  severity?: Severity;
  confidence?: Confidence;
  /** Why the confidence is what it is, as a phrase (default: see `RuleMeta.confidenceReason`). */
  confidenceReason?: string;
  cwe?: number;
  fix?: string;
  flow?: FlowStep[];
  /**
   * The sources of a proven flow: when every one is a request only administrators can send, the
   * finding is reported low and says which guard (see privilege.ts).
   */
  sources?: readonly TaintSource[];
  /** Aggregated suggestions list every line concerned. */
  lines?: number[];
  /** This finding is hygiene, not exploitable on its own (see `RuleMeta.hygiene`). */
  hygiene?: boolean;
}

/**
 * The semantic model of each language by id, filled in by the language packs (declaration merging:
 * each pack adds `<id>: <its model>`, see lang/<id>/index.ts), so that `defineRule` gives a rule of
 * a language its language's model as `context.module`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LanguageModels {}

/** The semantic model of a language id: its pack's, or what every model offers. */
export type ModelOf<L extends string> = L extends keyof LanguageModels ? LanguageModels[L] : SemanticModel;

/**
 * How a rule of each language picks the sinks its dataflow traces (its `taint` declaration beyond
 * the fields below), filled in by the language packs as LanguageModels is.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LanguageSinkPickings {}

/** How a rule of a language picks sinks: its pack's, or nothing beyond the common fields. */
export type PickingOf<L extends string> = L extends keyof LanguageSinkPickings
  ? LanguageSinkPickings[L]
  : object;

export interface RuleContext<M extends SemanticModel = SemanticModel> {
  readonly file: SourceFile;
  /** The semantic model of the file (scopes, imports, calls), as its language binds it. */
  readonly module: M;
  /**
   * Dataflow facts of this file, computed over the whole project (calls across files included):
   * `taint.trace(node, { cwe })` says whether the expression is a constant, comes from a source
   * (with the path), was sanitized, or is unknown.
   */
  readonly taint: TaintQuery;
  /** The rule's `limit` as configured. */
  readonly limit?: number;
  /** What the project's manifests declare (dependency versions); empty when none were found. */
  readonly project: ProjectFacts;
  report(descriptor: ReportDescriptor): void;
}

/**
 * How a rule uses the project's dataflow. It picks sink concepts (the language's models say which
 * APIs are which, see `P`): the engine reports every sink of them whose argument is proven to come
 * from a source (not sanitized for the rule's CWE), with its path; the hooks below give the rule its
 * own message and confidence. A rule whose finding needs structure the engine does not know traces
 * the models' sinks in its check.
 */
export type TaintRuleSpec<P = object> = P & {
  /** The sink concepts the rule reports. */
  concepts?: readonly SinkConcept[];
  /** Trust levels that count (default: every source the config switched on). */
  trust?: readonly Trust[];
  /** The finding's message; default (also when it gives none): "<sink> receives <what> built from <source>". */
  message?: (hit: TaintHit) => string | undefined;
  /**
   * Where the finding is reported, when the flaw is not the sink call itself (a check before it
   * that lets some values through); default: the sink. The flow still ends at the sink.
   */
  node?: (hit: TaintHit) => Node | undefined;
  /** The finding's severity; default: the rule's. */
  severity?: (hit: TaintHit) => Severity | undefined;
  /** The finding's confidence; default: high, since the flow is proven. */
  confidence?: (hit: TaintHit) => Confidence;
  /** Why, as a phrase; default: the proven flow from the hit's source. */
  confidenceReason?: (hit: TaintHit) => string;
};

export interface RuleMeta {
  /** `<language>/<kebab-name>`, its folder is src/lang/<language>/rules/<kebab-name>/ (see `ruleFolder`). */
  id: string;
  title: string;
  /** The most specific CWE that fits; names and pillars come from the catalog. */
  cwe: number;
  severity: Severity;
  confidence: Confidence;
  /**
   * Why a finding of the rule has its confidence, as a phrase, when the report does not say (a
   * finding with a flow says which source it proved). Default: `MATCHED_AS_WRITTEN`.
   */
  confidenceReason?: string;
  languages: readonly LanguageId[];
  /** Security defect (default) or improvement suggestion. */
  kind?: FindingKind;
  /**
   * A hygiene check: what it finds is not exploitable on its own (a program started by bare name, an
   * HTTP call without a timeout). Its findings (and those a report marks `hygiene`) are suggestions,
   * unless the configuration asks for them as defects (`hygiene-as-defects`, see `hygieneAsDefects`).
   */
  hygiene?: boolean;
  /** Set from the configuration: report hygiene findings of this rule as defects. */
  hygieneAsDefects?: boolean;
  /** One paragraph: what the rule finds and why it matters. */
  description: string;
  /** Fix advice in one or two sentences. */
  fix: string;
  /** A corrected example for the docs: vulnerable and fixed code. */
  example?: { bad: string; good: string };
  /**
   * Cheap prefilter: the rule runs on a file only when its text contains at least one of these
   * substrings. Omit to always run.
   */
  requires?: readonly string[];
  /**
   * A numeric threshold of the check (lines of a function, levels of nesting), which the
   * configuration may change (`suggestions.limits`); the check reads it as `context.limit`.
   */
  limit?: number;
}

export interface Rule<M extends SemanticModel = SemanticModel, P = object> extends RuleMeta {
  /** A check over the tree (it may query `context.taint`); optional when `taint` picks concepts. */
  check?(context: RuleContext<M>): void;
  /** The concepts whose sinks the dataflow checks; also marks the rule as using the dataflow. */
  taint?: TaintRuleSpec<P>;
}

/** The confidence reason of a finding that matches the code as written, without a traced flow. */
export const MATCHED_AS_WRITTEN = 'matched in the code as written';

/** The confidence reason of a finding with a traced flow: the source the flow starts at. */
export function provenFlowReason(flow: readonly FlowStep[]): string {
  const first = flow[0];
  if (!first) return MATCHED_AS_WRITTEN;
  const source = first.note.replace(/^source: /, '');
  return `proven flow from ${source} (line ${first.location.start.line})`;
}

/** The kind of a finding: hygiene findings are suggestions unless the configuration says otherwise. */
export function findingKind(rule: RuleMeta, descriptor: Pick<ReportDescriptor, 'hygiene'>): FindingKind {
  if ((descriptor.hygiene ?? rule.hygiene) && !rule.hygieneAsDefects) return 'suggestion';
  return rule.kind ?? 'defect';
}

/** The folder of a rule, relative to the repository root: `src/lang/<language>/rules/<name>`. */
export function ruleFolder(id: string): string {
  const slash = id.indexOf('/');
  return `src/lang/${id.slice(0, slash)}/rules/${id.slice(slash + 1)}`;
}

/**
 * Declares a rule. Typed so that a misspelled field is a compile error, and so that `check` reads
 * the semantic model of the rule's language (as LanguageModels maps `languages: ['<id>']`).
 */
export function defineRule<L extends LanguageId>(
  rule: Rule<ModelOf<L>, PickingOf<L>> & { languages: readonly L[] },
): Rule {
  return rule;
}
