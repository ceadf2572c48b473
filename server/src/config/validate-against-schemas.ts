/**
 * Bootstrap-time checks that need the running app: rules name real content types and media fields,
 * templates use real fields, providers exist and accept the rules' params. Throws one ConfigError
 * listing every problem, so Strapi stops with messages that name the key.
 */
import type { Core } from '@strapi/strapi';
import { ConfigError, describeIssues, type PluginConfig } from './schema';
import { schemaOf } from '../rules/content-schema';
import { templateAccessOf, templateProblems } from '../rules/template-access';
import type { ProviderRegistry } from '../providers/registry';
import { candidateCountProblem, requestedImageCount } from '../media/candidates';

export function validateAgainstSchemas(strapi: Core.Strapi, config: PluginConfig, providers: ProviderRegistry): void {
  const problems: string[] = [];
  const access = templateAccessOf(config);
  config.templateContentTypes.forEach((uid, index) => {
    if (!strapi.contentTypes[uid as keyof typeof strapi.contentTypes]) problems.push(`templateContentTypes[${index}]: "${uid}" is not a content type of this app`);
  });
  config.rules.forEach((rule, index) => {
    const at = `rules[${index}]`;
    const schema = strapi.contentTypes[rule.contentType as keyof typeof strapi.contentTypes] ? schemaOf(strapi, rule.contentType) : undefined;
    if (!schema) {
      problems.push(`${at}.contentType: "${rule.contentType}" is not a content type of this app`);
      return;
    }
    const draftAndPublish = Boolean((schema as { options?: { draftAndPublish?: boolean } }).options?.draftAndPublish);
    if (rule.on.includes('publish') && !draftAndPublish) {
      problems.push(`${at}.on: "publish" never happens on ${rule.contentType} (Draft & Publish is off): use "create" and/or "update" instead`);
    }
    const checkMediaField = (key: string, field: string | undefined) => {
      if (!field) return;
      const attribute = schema.attributes[field];
      if (!attribute) problems.push(`${at}.${key}: "${field}" is not a field of ${rule.contentType}`);
      else if (attribute.type !== 'media') problems.push(`${at}.${key}: "${field}" is not a media field of ${rule.contentType}`);
    };
    for (const key of ['target', 'source', 'mask'] as const) checkMediaField(key, rule[key]);
    if (Array.isArray(rule.output)) rule.output.forEach((rendition, renditionIndex) => checkMediaField(`output[${renditionIndex}].target`, rendition.target));

    for (const key of ['prompt', 'altText', 'caption'] as const) {
      const template = rule[key];
      if (!template) continue;
      problems.push(...templateProblems(strapi, rule.contentType, template, access, `${at}.${key}`));
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
    if (rule.mode === 'batch' && !provider.batch) problems.push(`${at}.mode: "batch" needs a provider with a Batch API (type openai); "${providerName}" is of type ${provider.type}`);
    const parsed = provider.paramsSchema.safeParse(rule.params);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error.issues, ['rules', index, 'params']));
    }
    const candidates = candidateCountProblem(requestedImageCount(rule.params), provider.capabilities.maxImages, rule.review, providerName);
    if (candidates) problems.push(`${at}.params.n: ${candidates}`);
  });
  config.budgets.forEach((budget, index) => {
    if (budget.provider && !providers.find(budget.provider)) problems.push(`budgets[${index}].provider: "${budget.provider}" is not a configured provider`);
  });
  if (problems.length) throw new ConfigError(problems);
}
