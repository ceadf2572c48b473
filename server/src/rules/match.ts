/** Which rules apply to a document event. */
import type { PluginConfig, RuleConfig, TriggerEvent } from '../config/schema';

export function rulesForEvent(config: PluginConfig, uid: string, event: TriggerEvent): RuleConfig[] {
  return config.rules.filter((rule) => rule.contentType === uid && rule.on.includes(event));
}

export function ruleAppliesToLocale(rule: RuleConfig, locale: string | null | undefined): boolean {
  // Content types without i18n have no locale: the filter does not apply to them.
  if (!rule.locales || rule.locales.length === 0 || locale == null) return true;
  return rule.locales.includes(locale);
}

export function findRule(config: PluginConfig, ruleId: string): RuleConfig | undefined {
  return config.rules.find((rule) => rule.id === ruleId);
}

export function contentTypesWithRules(config: PluginConfig): Set<string> {
  return new Set(config.rules.map((rule) => rule.contentType));
}
