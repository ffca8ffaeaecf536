/** secreview's public API. */
export * from './core/index.js';
export { defineRule } from './rules/rule.js';
export type { LanguageModels, Rule, RuleContext, RuleMeta, ReportDescriptor } from './rules/rule.js';
export { languages, registerLanguage } from './lang/registry.js';
export type { Language, SemanticModel } from './lang/language.js';
export { review } from './engine/review.js';
export type { ReviewOptions, ReviewResult } from './engine/review.js';
export { REPORTERS, FORMATS } from './reporters/index.js';
export type { Format, ReportInput } from './reporters/index.js';
