import { ConfigError, formatIssuePath, parsePluginConfig } from '../../../server/src/config/schema';

const rule = { id: 'article-cover', contentType: 'api::article.article', prompt: 'A cover for {{title}}', target: 'cover' };

function configErrorOf(input: unknown): ConfigError {
  try {
    parsePluginConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected parsePluginConfig to throw');
}

describe('config/schema', () => {
  describe('parsePluginConfig', () => {
    it.each([
      ['undefined', undefined],
      ['null', null],
      ['an empty object', {}],
    ])('applies every top-level default for %s', (_label, input) => {
      expect(parsePluginConfig(input)).toEqual({
        providers: {},
        defaultProvider: 'local',
        rules: [],
        queue: { concurrency: 2, maxAttempts: 5, leaseMs: 30_000, pollIntervalMs: 1000, backoffBaseMs: 2000, maxBackoffMs: 600_000, maxRetryAfterMs: 600_000, worker: true },
        retention: { jobsDays: 90 },
        publishAfterAttach: true,
        maxTemplateValueLength: 2000,
        templateContentTypes: [],
        media: { maxInputPixels: 16_000_000, maxInputBytes: 32 * 1024 * 1024, decodeTimeoutSeconds: 60 },
        budgets: [],
        backfill: { pageSize: 200, maxQueuedPerBackfill: 200, tickMs: 1000, stepLeaseMs: 30_000 },
        batch: { pollIntervalMs: 60_000, maxJobsPerBatch: 1000, collectMs: 30_000, leaseMs: 300_000 },
      });
    });

    it.each([
      [{ budgets: [{ provider: 'openai' }] }, 'budgets[0]: needs dailyUsd or monthlyUsd'],
      [{ budgets: [{ provider: 'openai', monthlyUsd: 0 }] }, 'budgets[0].monthlyUsd:'],
      [{ budgets: [{ rule: 'nope', dailyUsd: 5 }] }, 'budgets[0].rule: "nope" is not a configured rule'],
      [{ budgets: [{ provider: 'openai', weeklyUsd: 5 }] }, 'budgets[0].weeklyUsd: unknown key'],
    ])('refuses a bad budget naming its key (%j)', (input, message) => {
      expect(() => parsePluginConfig(input)).toThrow(message);
    });

    it('refuses n > 1 in batch mode naming rules[i].params.n, and accepts it synchronously', () => {
      const error = configErrorOf({ rules: [rule, { ...rule, id: 'bulk', mode: 'batch', params: { n: 3 } }] });
      expect(error.message).toMatch(/rules\[1\]\.params\.n: must be 1 in mode "batch"/);
      expect(parsePluginConfig({ rules: [{ ...rule, params: { n: 3 } }, { ...rule, id: 'bulk', mode: 'batch', params: { n: 1 } }] }).rules).toHaveLength(2);
    });

    it('accepts budgets per provider, per rule and both', () => {
      const budgets = [{ provider: 'openai', monthlyUsd: 50 }, { rule: 'article-cover', dailyUsd: 5 }, { provider: 'openai', rule: 'article-cover', dailyUsd: 1, monthlyUsd: 20 }];
      expect(parsePluginConfig({ rules: [rule], budgets }).budgets).toEqual(budgets);
    });

    it('applies rule defaults: no events, onlyIfEmpty, generate, webp output, no review, AI Assets folder', () => {
      const [parsed] = parsePluginConfig({ rules: [rule] }).rules;
      expect(parsed).toEqual({
        ...rule,
        on: [],
        onlyIfEmpty: true,
        operation: 'generate',
        params: {},
        output: { format: 'webp', quality: 82, fit: 'cover' },
        review: false,
        folder: 'AI Assets',
        mode: 'sync',
      });
    });

    it('fills the missing output keys when only some are given', () => {
      const [parsed] = parsePluginConfig({ rules: [{ ...rule, output: { format: 'png', width: 1200 } }] }).rules;
      expect(parsed.output).toEqual({ format: 'png', quality: 82, fit: 'cover', width: 1200 });
    });

    it('fills the missing queue keys when only some are given', () => {
      expect(parsePluginConfig({ queue: { concurrency: 8, worker: false } }).queue).toEqual({
        concurrency: 8,
        maxAttempts: 5,
        leaseMs: 30_000,
        pollIntervalMs: 1000,
        backoffBaseMs: 2000,
        maxBackoffMs: 600_000,
        maxRetryAfterMs: 600_000,
        worker: false,
      });
    });

    it('keeps explicit values instead of the defaults', () => {
      const config = parsePluginConfig({
        defaultProvider: 'studio',
        providers: { studio: { type: 'openai', apiKey: 'k' } },
        rules: [{ ...rule, on: ['publish', 'update'], onlyIfEmpty: false, review: true, locales: ['en'], operation: 'edit', source: 'cover' }],
        publishAfterAttach: false,
      });
      expect(config.defaultProvider).toBe('studio');
      expect(config.providers.studio).toEqual({ type: 'openai', apiKey: 'k' });
      expect(config.rules[0]).toMatchObject({ on: ['publish', 'update'], onlyIfEmpty: false, review: true, locales: ['en'], operation: 'edit', source: 'cover' });
      expect(config.publishAfterAttach).toBe(false);
    });

    it.each([
      ['a non-kebab-case rule id', { rules: [{ ...rule, id: 'Article_Cover' }] }, 'ai-assets: rules[0].id: must be kebab-case'],
      ['a rule id with a trailing dash', { rules: [{ ...rule, id: 'cover-' }] }, 'ai-assets: rules[0].id: must be kebab-case'],
      ['a duplicate rule id', { rules: [rule, { ...rule, target: 'image' }] }, 'ai-assets: rules[1].id: "article-cover" is already used by rules[0]'],
      ['a duplicate id later in the list', { rules: [rule, { ...rule, id: 'other' }, { ...rule, id: 'other' }] }, 'ai-assets: rules[2].id: "other" is already used by rules[1]'],
      ['an edit rule without source', { rules: [{ ...rule, operation: 'edit' }] }, 'ai-assets: rules[0].source: is required when operation is "edit"'],
      ['a generate rule with a source', { rules: [{ ...rule, source: 'cover' }] }, 'ai-assets: rules[0].source: is only allowed when operation is "edit"'],
      ['a bad content-type uid', { rules: [{ ...rule, contentType: 'article' }] }, 'ai-assets: rules[0].contentType: must be a content-type uid like "api::article.article"'],
      ['an unknown trigger event', { rules: [{ ...rule, on: ['delete'] }] }, 'ai-assets: rules[0].on[0]: Invalid option'],
      ['an empty prompt', { rules: [{ ...rule, prompt: '' }] }, 'ai-assets: rules[0].prompt: Too small'],
      ['a missing target', { rules: [{ id: 'x', contentType: 'api::a.a', prompt: 'p' }] }, 'ai-assets: rules[0].target: Invalid input'],
      ['an unknown output format', { rules: [{ ...rule, output: { format: 'gif' } }] }, 'ai-assets: rules[0].output.format: Invalid option: expected one of "webp"|"avif"|"png"|"jpeg"'],
      ['an output quality of 0', { rules: [{ ...rule, output: { quality: 0 } }] }, 'ai-assets: rules[0].output.quality: Too small'],
      ['an output width below 16', { rules: [{ ...rule, output: { width: 8 } }] }, 'ai-assets: rules[0].output.width: Too small'],
      ['an unknown output fit', { rules: [{ ...rule, output: { fit: 'stretch' } }] }, 'ai-assets: rules[0].output.fit: Invalid option'],
      ['an unknown key in the output', { rules: [{ ...rule, output: { format: 'png', dpi: 300 } }] }, 'ai-assets: rules[0].output.dpi: unknown key'],
      ['an unknown key in a rule', { rules: [{ ...rule, trigger: 'publish' }] }, 'ai-assets: rules[0].trigger: unknown key'],
      ['an unknown top-level key', { rule: [] }, 'ai-assets: rule: unknown key'],
      ['an unknown queue key', { queue: { retries: 3 } }, 'ai-assets: queue.retries: unknown key'],
      ['queue concurrency 0', { queue: { concurrency: 0 } }, 'ai-assets: queue.concurrency: Too small: expected number to be >=1'],
      ['queue concurrency 65', { queue: { concurrency: 65 } }, 'ai-assets: queue.concurrency: Too big: expected number to be <=64'],
      ['fractional queue concurrency', { queue: { concurrency: 1.5 } }, 'ai-assets: queue.concurrency: '],
      ['queue maxAttempts 51', { queue: { maxAttempts: 51 } }, 'ai-assets: queue.maxAttempts: Too big: expected number to be <=50'],
      ['queue leaseMs below a second', { queue: { leaseMs: 999 } }, 'ai-assets: queue.leaseMs: Too small: expected number to be >=1000'],
      ['queue pollIntervalMs below 50', { queue: { pollIntervalMs: 49 } }, 'ai-assets: queue.pollIntervalMs: Too small: expected number to be >=50'],
      ['a negative backoff base', { queue: { backoffBaseMs: -1 } }, 'ai-assets: queue.backoffBaseMs: Too small'],
      ['a provider entry without type', { providers: { studio: { apiKey: 'k' } } }, 'ai-assets: providers.studio.type: Invalid input'],
      ['a provider name with a space', { providers: { 'my studio': { type: 'local' } } }, 'ai-assets: providers.my studio: '],
      ['maxTemplateValueLength below 16', { maxTemplateValueLength: 15 }, 'ai-assets: maxTemplateValueLength: Too small'],
      ['a config that is not an object', 'rules', 'ai-assets: Invalid input: expected object'],
    ])('rejects %s naming the path and the reason', (_label, input, expected) => {
      expect(configErrorOf(input).message).toContain(expected);
    });

    it('reports every problem on its own prefixed line', () => {
      const error = configErrorOf({ rules: [{ ...rule, id: 'Bad' }, { ...rule, operation: 'edit' }], queue: { concurrency: 0 } });
      const lines = error.message.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines.every((line) => line.startsWith('ai-assets: '))).toBe(true);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringContaining('rules[0].id: must be kebab-case'),
          'ai-assets: rules[1].source: is required when operation is "edit"',
          expect.stringContaining('queue.concurrency: Too small'),
        ])
      );
    });

    it('names the error ConfigError', () => {
      expect(configErrorOf({ foo: 1 }).name).toBe('ConfigError');
    });
  });

  describe('formatIssuePath', () => {
    it.each([
      [['rules', 0, 'id'], 'rules[0].id'],
      [['queue', 'concurrency'], 'queue.concurrency'],
      [['rules', 2, 'on', 1], 'rules[2].on[1]'],
      [[], ''],
    ])('formats %j as %s', (path, expected) => {
      expect(formatIssuePath(path)).toBe(expected);
    });
  });
});
