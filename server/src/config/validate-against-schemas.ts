/**
 * Bootstrap-time checks that need the running app: rules name real content types and media fields,
 * templates use real fields, providers exist and accept the rules' params. Throws one ConfigError
 * listing every problem, so Strapi stops with messages that name the key.
 */
import type { Core } from '@strapi/strapi';
import { ConfigError, describeIssues, type PluginConfig } from './schema';
import { schemaOf, templatePathProblem } from '../rules/content-schema';
import { templateFields } from '../rules/template';
import type { ProviderRegistry } from '../providers/registry';

export function validateAgainstSchemas(strapi: Core.Strapi, config: PluginConfig, providers: ProviderRegistry): void {
  const problems: string[] = [];
  config.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    const schema = strapi.contentTypes[rule.contentType as keyof typeof strapi.contentTypes] ? schemaOf(strapi, rule.contentType) : undefined;
    if (!schema) {
      problems.push(`${at}.contentType: "${rule.contentType}" is not a content type of this app`);
      return;
    }
    const mediaField = (key: 'target' | 'source' | 'mask') => {
      const field = rule[key];
      if (!field) return;
      const attribute = schema.attributes[field];
      if (!attribute) problems.push(`${at}.${key}: "${field}" is not a field of ${rule.contentType}`);
      else if (attribute.type !== 'media') problems.push(`${at}.${key}: "${field}" is not a media field of ${rule.contentType}`);
    };
    mediaField('target');
    mediaField('source');
    mediaField('mask');

    for (const key of ['prompt', 'altText', 'caption'] as const) {
      const template = rule[key];
      if (!template) continue;
      for (const path of templateFields(template)) {
        const problem = templatePathProblem(strapi, rule.contentType, path);
        if (problem) problems.push(`${at}.${key}: ${problem}`);
      }
    }

    const providerName = rule.provider ?? config.defaultProvider;
    const provider = providers.find(providerName);
    if (!provider) {
      problems.push(`${at}.provider: "${providerName}" is not a configured provider`);
      return;
    }
    if (rule.operation === 'edit' && !provider.capabilities.edit) problems.push(`${at}.operation: provider "${providerName}" cannot edit images`);
    if (rule.mask && !provider.capabilities.mask) problems.push(`${at}.mask: provider "${providerName}" does not support masks`);
    if (rule.operation === 'generate' && !provider.capabilities.generate) problems.push(`${at}.operation: provider "${providerName}" cannot generate images`);
    const parsed = provider.paramsSchema.safeParse(rule.params);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error.issues, ['rules', index, 'params']));
    }
  });
  config.budgets.forEach((budget, index) => {
    if (budget.provider && !providers.find(budget.provider)) problems.push(`budgets[${index}].provider: "${budget.provider}" is not a configured provider`);
  });
  if (problems.length) throw new ConfigError(problems);
}
