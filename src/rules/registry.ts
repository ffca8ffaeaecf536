import { RULES } from './registry.generated.js';
import type { Rule } from './rule.js';

export function allRules(): readonly Rule[] {
  return RULES;
}

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
