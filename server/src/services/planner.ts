/**
 * Turns (rule, document, locale) into a job plan: loads the entry, applies the rule's filters, renders the
 * templates, validates params with the provider's schema and computes the dedupe hash. Calls no provider.
 */
import type { Core, UID } from '@strapi/strapi';
import type { RuleConfig } from '../config/schema';
import { entryLabel, isLocalized } from '../rules/content-schema';
import { readablePopulate, templateAccessOf, templateProblems } from '../rules/template-access';
import { ruleAppliesToLocale } from '../rules/match';
import { renderTemplate, templateFields } from '../rules/template';
import { inputHash } from '../queue/hash';
import { describeIssues } from '../config/schema';
import type { JobTrigger, NewJob } from '../queue/types';
import { getService } from '../utils/get-service';
import { candidateCountProblem, requestedImageCount } from '../media/candidates';
import { PlanError } from '../errors/domain';

export interface PlanRequest {
  rule: RuleConfig;
  documentId: string;
  locale: string | null;
  trigger: JobTrigger;
  /** Which version to read templates from: the published one for publish events, else the draft. */
  status?: 'draft' | 'published';
  promptOverride?: string;
  paramsOverride?: Record<string, unknown>;
  parentJobId?: number | null;
  sourceFileIdOverride?: number | null;
  maskData?: string | null;
  maskHash?: string | null;
  createdByUserId?: number | null;
  /** Manual runs and regenerations ignore onlyIfEmpty. */
  ignoreOnlyIfEmpty?: boolean;
  /** The entry, already loaded by `loadEntries` (bulk runs read a page at once instead of one entry per plan). */
  entry?: Record<string, unknown>;
}

/** `code` lets bulk runs count skips by cause; `has_file` is the onlyIfEmpty skip. */
export type Plan = { kind: 'job'; job: NewJob } | { kind: 'skip'; reason: string; code?: 'has_file' };


function hasFile(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function firstFileId(value: unknown): number | null {
  const file = Array.isArray(value) ? value[0] : value;
  return file && typeof file === 'object' ? ((file as { id: number }).id ?? null) : null;
}

/** Every field a rule's templates and media keys read (what to populate when loading its entries). */
function fieldsOf(rule: RuleConfig, promptOverride?: string): string[] {
  const templates = [rule.prompt, promptOverride, rule.altText, rule.caption].filter((value): value is string => Boolean(value));
  return [...new Set([...templates.flatMap(templateFields), rule.target, ...(rule.source ? [rule.source] : []), ...(rule.mask ? [rule.mask] : [])])];
}

export const createPlanner = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Draft entries of `documentIds` in one locale, loaded in one query with what `rule` reads; keyed by documentId. */
  async loadEntries(rule: RuleConfig, documentIds: string[], locale: string | null): Promise<Map<string, Record<string, unknown>>> {
    const localized = isLocalized(strapi, rule.contentType);
    const entries = (await strapi.documents(rule.contentType as UID.ContentType).findMany({
      filters: { documentId: { $in: documentIds } },
      ...(localized && locale ? { locale } : {}),
      status: 'draft',
      populate: readablePopulate(strapi, rule.contentType, fieldsOf(rule), templateAccessOf(getService(strapi, 'config').get())),
      limit: documentIds.length,
    } as never)) as Array<Record<string, unknown>>;
    return new Map(entries.map((entry) => [entry.documentId as string, entry]));
  },

  async plan(request: PlanRequest): Promise<Plan> {
    const { rule } = request;
    const config = getService(strapi, 'config').get();
    if (!ruleAppliesToLocale(rule, request.locale)) return { kind: 'skip', reason: `locale ${request.locale} is not in the rule's locales` };

    const access = templateAccessOf(config);
    // An override is typed by an editor: it gets the same allowlist as the rule author's templates.
    if (request.promptOverride) {
      const problems = templateProblems(strapi, rule.contentType, request.promptOverride, access, 'body.prompt');
      if (problems.length) throw new PlanError(problems.join('; '));
    }
    const fields = fieldsOf(rule, request.promptOverride);
    const localized = isLocalized(strapi, rule.contentType);
    const entry =
      request.entry ??
      ((await strapi.documents(rule.contentType as UID.ContentType).findOne({
        documentId: request.documentId,
        ...(localized && request.locale ? { locale: request.locale } : {}),
        status: request.status ?? 'draft',
        populate: readablePopulate(strapi, rule.contentType, fields, access),
      } as never)) as Record<string, unknown> | null);
    if (!entry) throw new PlanError(`No ${request.status ?? 'draft'} entry ${request.documentId} of ${rule.contentType}${request.locale ? ` in locale ${request.locale}` : ''}.`, 'not_found');

    if (rule.onlyIfEmpty && !request.ignoreOnlyIfEmpty && hasFile(entry[rule.target])) {
      return { kind: 'skip', reason: `"${rule.target}" already has a file`, code: 'has_file' };
    }

    const locale = localized ? ((entry.locale as string | undefined) ?? request.locale) : null;
    const data = { ...entry, locale, documentId: request.documentId };
    const render = (template: string | undefined) =>
      template ? renderTemplate(template, data, { maxValueLength: config.maxTemplateValueLength }) : null;
    const prompt = render(request.promptOverride ?? rule.prompt) as string;
    if (!prompt) throw new PlanError(`The prompt of rule "${rule.id}" renders empty for entry ${request.documentId}.`);

    const providerName = rule.provider ?? config.defaultProvider;
    const provider = getService(strapi, 'providers').get(providerName);
    const parsedParams = provider.paramsSchema.safeParse({ ...rule.params, ...request.paramsOverride });
    if (!parsedParams.success) {
      throw new PlanError(`rule "${rule.id}": ${describeIssues(parsedParams.error.issues, ['params']).join('; ')}`);
    }
    // Keep the params as written (not with schema defaults) so the hash is stable across provider upgrades.
    const params = { ...rule.params, ...request.paramsOverride };
    const candidates = candidateCountProblem(requestedImageCount(params), provider.capabilities.maxImages, rule.review, providerName);
    if (candidates) throw new PlanError(`rule "${rule.id}": params.n: ${candidates}`);

    let sourceFileId: number | null = null;
    let sourceHash: string | null = null;
    if (rule.operation === 'edit' || request.sourceFileIdOverride) {
      sourceFileId = request.sourceFileIdOverride ?? firstFileId(entry[rule.source as string]);
      if (!sourceFileId) return { kind: 'skip', reason: `"${rule.source}" has no image to edit` };
      const sourceFile = await getService(strapi, 'library').findFile(sourceFileId);
      sourceHash = sourceFile?.hash ?? null;
    }
    const operation = sourceFileId ? 'edit' : 'generate';
    // A rule's mask field applies to the rule's own source only, not to admin edits of other images.
    const maskFileId = operation === 'edit' && rule.mask && !request.sourceFileIdOverride ? firstFileId(entry[rule.mask]) : null;
    const maskFile = maskFileId ? await getService(strapi, 'library').findFile(maskFileId) : null;

    const hash = inputHash({
      ruleId: rule.id,
      contentType: rule.contentType,
      documentId: request.documentId,
      locale,
      operation,
      provider: providerName,
      prompt,
      params,
      output: rule.output,
      sourceFile: sourceFileId ? { id: sourceFileId, hash: sourceHash } : null,
      parentJobId: request.parentJobId ?? null,
      maskHash: request.maskHash ?? null,
      maskFile: maskFile ? { id: maskFile.id, hash: maskFile.hash } : null,
    });

    return {
      kind: 'job',
      job: {
        rule: rule.id,
        contentType: rule.contentType,
        targetDocumentId: request.documentId,
        targetLocale: locale,
        trigger: request.trigger,
        operation,
        provider: providerName,
        model: provider.model ?? null,
        prompt,
        params,
        output: rule.output,
        targetField: rule.target,
        altText: render(rule.altText),
        caption: render(rule.caption),
        folder: rule.folder,
        sourceFileId,
        maskFileId: maskFile?.id ?? null,
        maskData: request.maskData ?? null,
        inputHash: hash,
        review: rule.review,
        maxAttempts: config.queue.maxAttempts,
        parentJobId: request.parentJobId ?? null,
        entryTitle: entryLabel(strapi, rule.contentType, entry),
        createdByUserId: request.createdByUserId ?? null,
        // Admin edits carry their own mask and need an answer now: only plain generations wait for a batch.
        mode: rule.mode === 'batch' && operation === 'generate' && !request.maskData ? 'batch' : null,
      },
    };
  },
});

export type Planner = ReturnType<typeof createPlanner>;
