/** Read-only views of the configuration for the admin (providers never expose keys) and the provider test call. */
import type { Core } from '@strapi/strapi';
import { decodeStep, openImage } from '../media/decode';
import type { RuleConfig } from '../config/schema';
import { errorCode } from '../providers/errors';
import { readableMessage } from '../queue/failure';
import { schemaOf } from '../rules/content-schema';
import { contentTypesWithRules } from '../rules/match';
import { getService } from '../utils/get-service';

const TEST_TIMEOUT_MS = 120_000;

/** `batchAvailable`: the rule generates with a provider that has a Batch API, so a backfill may ask for batch mode. */
export function toRuleView(rule: RuleConfig, defaultProvider: string, batchAvailable = false) {
  const { id, contentType, on, operation, target, source, mask, review, onlyIfEmpty, locales, prompt, params, output, folder, mode } = rule;
  return { id, contentType, on, operation, provider: rule.provider ?? defaultProvider, target, source: source ?? null, mask: mask ?? null, review, onlyIfEmpty, locales: locales ?? null, prompt, params, output, folder, mode, batchAvailable };
}

export const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => ({
  rules(contentType?: string) {
    const config = getService(strapi, 'config').get();
    return config.rules.filter((rule) => !contentType || rule.contentType === contentType).map((rule) =>
      toRuleView(rule, config.defaultProvider, rule.operation === 'generate' && Boolean(getService(strapi, 'providers').find(rule.provider ?? config.defaultProvider)?.batch))
    );
  },

  contentTypes() {
    const config = getService(strapi, 'config').get();
    const uids = [...contentTypesWithRules(config)];
    return uids.map((uid) => {
      const schema = schemaOf(strapi, uid) as { info?: { displayName?: string }; attributes: Record<string, { type: string }> } | undefined;
      return {
        uid,
        displayName: schema?.info?.displayName ?? uid,
        mediaFields: Object.entries(schema?.attributes ?? {}).filter(([, attribute]) => attribute.type === 'media').map(([name]) => name),
        rules: config.rules.filter((rule) => rule.contentType === uid).map((rule) => rule.id),
      };
    });
  },

  overview() {
    const config = getService(strapi, 'config').get();
    return {
      providers: getService(strapi, 'providers')
        .list()
        .map((provider) => {
          const state = provider.describe();
          return { name: provider.name, type: provider.type, model: provider.model ?? null, configured: state.configured, problem: state.problem ?? null, capabilities: provider.capabilities };
        }),
      defaultProvider: config.defaultProvider,
      rules: this.rules(),
      queue: config.queue,
      publishAfterAttach: config.publishAfterAttach,
    };
  },

  /** One small real call to the provider; the image comes back as a small data URL, nothing is stored. */
  async testProvider(name: string) {
    const provider = getService(strapi, 'providers').find(name);
    if (!provider) return null;
    const started = Date.now();
    const signal = AbortSignal.timeout(TEST_TIMEOUT_MS);
    try {
      const result = await provider.generate({ prompt: 'A small test image from AI Assets: a calm abstract pattern.', params: {} }, { signal });
      // Same limits as a job's answer: a test call must not decode what a job would refuse.
      const { image } = await openImage(result.images[0].data, 'test image');
      const thumbnail = await decodeStep(() => image.resize(256, 256, { fit: 'inside' }).png().toBuffer(), 'test image');
      return { ok: true, durationMs: Date.now() - started, model: result.model ?? provider.model ?? null, requestId: result.requestId ?? null, image: `data:image/png;base64,${thumbnail.toString('base64')}` };
    } catch (error) {
      return { ok: false, durationMs: Date.now() - started, error: { code: errorCode(error), message: readableMessage(error) } };
    }
  },
});

export type SettingsService = ReturnType<typeof createSettingsService>;
