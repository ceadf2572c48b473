/**
 * `kie`: GPT Image 2 through kie.ai's asynchronous task API. One createTask (never repeated: it is billed),
 * then recordInfo polls with growing intervals until success, failure or the task deadline; results are
 * URLs fetched with the SSRF-safe downloader.
 */
import type { z } from 'zod';
import { createHttpClient, describeExchange, type HttpClient } from '../../http/client';
import { downloadToBuffer } from '../../http/download';
import { decodeLimits, readImageInfo } from '../../media/decode';
import { abortableSleep } from '../../utils/abort';
import { AuthenticationError, InvalidRequestError, isRetryable, MalformedResponseError, ProviderError, RateLimitedError, TimeoutError, UnsupportedOperationError } from '../errors';
import type { EditRequest, GenerateRequest, ImageProvider, ProviderCallOptions, ProviderFactoryContext, ProviderResult, ProviderType } from '../types';
import { parseParamsOrThrow } from '../common/params';
import { verifyKieCallback } from './callback';
import { errorForFailedTask, type KieRecord, readEnvelope, resultUrlsOf } from './api';
import { type KieOptions, kieOptionsSchema, type KieParams, kieParamsSchema } from './schema';

export { verifyKieCallback, signKieCallback } from './callback';
export type { KieCallbackInput, KieCallbackVerdict } from './callback';

/** Consecutive failed polls tolerated: a poll is a free GET, and giving up would lose a paid task. */
const MAX_POLL_FAILURES = 3;
const FORMAT_MIME: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

const parseParams = (raw: Record<string, unknown>): KieParams => parseParamsOrThrow(kieParamsSchema, raw);

function createKieProvider(name: string, config: KieOptions, log: ProviderFactoryContext['log']): ImageProvider {
  const secrets = [config.apiKey, config.webhookSecret];
  // A verified callback wakes the poller of its task at once instead of at the next poll interval.
  const wakeByTask = new Map<string, () => void>();

  function sleepUnlessWoken(taskId: string, ms: number, signal: AbortSignal): Promise<void> {
    const woken = new AbortController();
    wakeByTask.set(taskId, () => woken.abort());
    return abortableSleep(ms, AbortSignal.any([signal, woken.signal]))
      .catch((error) => {
        if (!woken.signal.aborted || signal.aborted) throw error;
      })
      .finally(() => wakeByTask.delete(taskId));
  }
  const http: HttpClient = createHttpClient({
    baseUrl: config.baseUrl,
    label: 'kie.ai',
    timeoutMs: config.timeoutMs,
    dispatcher: config.dispatcher,
    headers: config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {},
    secrets,
  });

  async function createTask(model: string, input: Record<string, unknown>, signal: AbortSignal): Promise<string> {
    const path = 'api/v1/jobs/createTask';
    const json = { model, input, ...(config.callBackUrl ? { callBackUrl: config.callBackUrl } : {}) };
    const response = await http.send({ method: 'POST', path, json, signal });
    log.debug(`ai-assets ${name}: ${describeExchange('POST', path, response, secrets)}`);
    const data = readEnvelope<{ taskId?: unknown }>(http, response, secrets);
    if (typeof data.taskId !== 'string' || !data.taskId) throw new MalformedResponseError('kie.ai accepted the task but sent no task id.', { requestId: response.requestId });
    return data.taskId;
  }

  /** Polls until a final state; transient poll failures are tolerated (free GETs), the deadline is not. */
  async function waitForTask(taskId: string, deadline: number, signal: AbortSignal): Promise<KieRecord> {
    let intervalMs = config.pollIntervalMs;
    let failures = 0;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new TimeoutError(`kie.ai did not finish the image within ${Math.round(config.taskTimeoutMs / 1000)} s (task ${taskId}).`, {
          requestId: taskId,
          providerCode: 'task_timeout',
        });
      }
      await sleepUnlessWoken(taskId, Math.min(intervalMs, remaining), signal);
      intervalMs = Math.min(config.maxPollIntervalMs, Math.round(intervalMs * 1.5));
      let record: KieRecord;
      try {
        const pollTimeoutMs = Math.min(config.timeoutMs, Math.max(1, deadline - Date.now()));
        const response = await http.send({ method: 'GET', path: 'api/v1/jobs/recordInfo', query: { taskId }, signal, timeoutMs: pollTimeoutMs });
        record = readEnvelope<KieRecord>(http, response, secrets);
        failures = 0;
      } catch (error) {
        const transient = error instanceof ProviderError && error.code !== 'unknown' && isRetryable(error);
        failures += 1;
        if (!transient || failures > MAX_POLL_FAILURES) throw error;
        if (error instanceof RateLimitedError && error.retryAfterMs) intervalMs = Math.max(intervalMs, error.retryAfterMs);
        log.warn(`ai-assets ${name}: polling kie.ai task ${taskId} failed (${error.message}); polling again`);
        continue;
      }
      if (record.state === 'success') return record;
      if (record.state === 'fail') throw errorForFailedTask({ ...record, taskId }, secrets);
    }
  }

  async function run(model: string, input: Record<string, unknown>, params: KieParams, signal: AbortSignal): Promise<ProviderResult> {
    if (!config.apiKey) throw new AuthenticationError('kie.ai API key missing: set it in the plugin configuration.', { providerCode: 'api_key_missing' });
    const deadline = Date.now() + config.taskTimeoutMs;
    const taskId = await createTask(model, input, signal);
    log.info(`ai-assets ${name}: kie.ai task ${taskId} created`);
    const record = await waitForTask(taskId, deadline, signal);
    const urls = resultUrlsOf({ ...record, taskId });
    const images = await Promise.all(
      urls.map(async (url) => {
        const data = await downloadToBuffer(url, {
          maxBytes: Math.min(config.downloadMaxBytes, decodeLimits().maxInputBytes),
          timeoutMs: config.downloadTimeoutMs,
          allowHosts: config.downloadHosts,
          allowHttp: config.downloadAllowHttp,
          allowLoopback: config.downloadAllowLoopback,
          signal,
        });
        const metadata = await readImageInfo(data, 'image from kie.ai');
        return { data, mime: FORMAT_MIME[metadata.format ?? ''] ?? 'image/png', width: metadata.width, height: metadata.height };
      })
    );
    const price = config.prices[params.resolution];
    return {
      images,
      model: record.model ?? model,
      requestId: taskId,
      usage: { images: images.length, costTimeMs: record.costTime ?? undefined },
      costUsd: price === undefined ? undefined : Math.round(price * images.length * 1e6) / 1e6,
    };
  }

  const canEdit = Boolean(config.publicUrlFor);
  return {
    name,
    type: 'kie',
    model: config.textToImageModel,
    capabilities: {
      generate: true,
      edit: canEdit,
      mask: false,
      maxImages: 1,
      sizes: ['aspect_ratio: auto, 1:1, 3:2, 2:3, 4:3, 3:4, 16:9, 9:16', 'resolution: 1K, 2K, 4K'],
      formats: ['png'],
      transparentBackground: false,
    },
    paramsSchema: kieParamsSchema as unknown as z.ZodType<Record<string, unknown>>,
    async generate(request: GenerateRequest, { signal }: ProviderCallOptions) {
      const params = parseParams(request.params);
      return run(config.textToImageModel, { prompt: request.prompt, aspect_ratio: params.aspect_ratio, resolution: params.resolution }, params, signal);
    },
    async edit(request: EditRequest, { signal }: ProviderCallOptions) {
      const params = parseParams(request.params);
      if (!config.publicUrlFor) {
        throw new UnsupportedOperationError('kie.ai edits need the source image at a public URL; configure publicUrlFor to enable them.', { providerCode: 'edit_unavailable' });
      }
      if (request.mask) throw new UnsupportedOperationError('kie.ai does not support masks; remove the mask or use another provider.', { providerCode: 'mask_unsupported' });
      if (request.images.length === 0 || request.images.length > 16) throw new InvalidRequestError('A kie.ai edit needs 1 to 16 source images.', { providerCode: 'image_count' });
      const publicUrlFor = config.publicUrlFor;
      const inputUrls = await Promise.all(request.images.map((image) => publicUrlFor(image, signal)));
      const input = { prompt: request.prompt, aspect_ratio: params.aspect_ratio, resolution: params.resolution, input_urls: inputUrls };
      return run(config.imageToImageModel, input, params, signal);
    },
    handleCallback({ headers, body }) {
      const header = (key: string) => {
        const value = headers[key];
        return Array.isArray(value) ? value[0] : value;
      };
      const verdict = verifyKieCallback({
        body,
        timestamp: header('x-webhook-timestamp'),
        signature: header('x-webhook-signature'),
        secret: config.webhookSecret ?? '',
      });
      if (!verdict.ok) return verdict;
      // Repeats and callbacks for tasks nobody waits on are fine: polling decides the result.
      wakeByTask.get(verdict.taskId)?.();
      return { ok: true };
    },
    estimateCostUsd: ({ params }) => config.prices[(params.resolution as '1K' | '2K' | '4K' | undefined) ?? '1K'],
    describe() {
      if (!config.apiKey) return { configured: false, problem: 'API key missing' };
      return canEdit ? { configured: true } : { configured: true, problem: 'Edits are off: kie.ai needs public image URLs (option publicUrlFor).' };
    },
  };
}

export const kieProviderType: ProviderType = {
  type: 'kie',
  optionsSchema: kieOptionsSchema as unknown as z.ZodType<Record<string, unknown>>,
  create({ name, options, log }) {
    return createKieProvider(name, kieOptionsSchema.parse(options), log);
  },
};
