/** Plugin configs used by integration tests (the README contract, with fast queue timings). */
export const FAST_QUEUE = { concurrency: 2, maxAttempts: 3, leaseMs: 3000, pollIntervalMs: 100, backoffBaseMs: 200, maxBackoffMs: 2000 };

export const coverRule = {
  id: 'article-cover',
  contentType: 'api::article.article',
  on: ['publish'],
  onlyIfEmpty: true,
  locales: ['en'],
  operation: 'generate',
  provider: 'studio',
  prompt: 'Editorial illustration for "{{title}}". {{summary}}',
  params: { size: '1536x1024', quality: 'medium' },
  output: { format: 'webp', quality: 82, width: 1200, height: 630, fit: 'cover' },
  target: 'cover',
  review: false,
  altText: '{{title}}',
  caption: 'Generated for {{title}}',
  folder: 'AI Assets/Article covers',
};

export function config(rules: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return { providers: { studio: { type: 'local' } }, defaultProvider: 'local', rules, queue: FAST_QUEUE, ...extra };
}
