import type { Confidence, FindingKind, FlowStep, Severity } from '../core/index.js';
import type { PythonModule } from '../analysis/scope/python.js';
import type { LanguageId, Node, SourceFile } from '../parsing/parser.js';

/** What a rule reports: a node of the tree and a message that names the code involved. */
export interface ReportDescriptor {
  node: Node;
  /** Extend the primary location to this node (for multi-node matches). */
  endNode?: Node;
  message: string;
  /** Override the rule's defaults when the evidence is stronger or weaker at this site. */
  severity?: Severity;
  confidence?: Confidence;
  cwe?: number;
  fix?: string;
  flow?: FlowStep[];
  /** Aggregated suggestions list every line concerned. */
  lines?: number[];
}

export interface RuleContext {
  readonly file: SourceFile;
  readonly module: PythonModule;
  report(descriptor: ReportDescriptor): void;
}

export interface RuleMeta {
  /** `<language>/<kebab-name>`, the folder name under src/rules/<language>/. */
  id: string;
  title: string;
  /** The most specific CWE that fits; names and pillars come from the catalog. */
  cwe: number;
  severity: Severity;
  confidence: Confidence;
  languages: readonly LanguageId[];
  /** Security defect (default) or improvement suggestion. */
  kind?: FindingKind;
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
}

export interface Rule extends RuleMeta {
  check(context: RuleContext): void;
}

/** Declares a rule. Typed so that a misspelled field is a compile error. */
export function defineRule(rule: Rule): Rule {
  return rule;
}
