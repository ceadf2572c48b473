/**
 * OpenAI's Batch API for image generations (docs/batch-mode.md): the input file goes up through
 * `POST /files` (purpose `batch`), `POST /batches` starts it, `GET /batches/{id}` reports it, and the output
 * and error files come back through `GET /files/{id}/content`, one JSON answer per line.
 */
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { FormData, request, type Dispatcher } from 'undici';
import { joinUrl, type HttpClient, type HttpResponse } from '../../http/client';
import { errorForFailure } from '../../http/errors';
import { InvalidRequestError, MalformedResponseError } from '../errors';
import type { BatchLineOutcome, ProviderBatchApi, RemoteBatch } from '../batch-types';
import { REMOTE_BATCH_STATUSES, type RemoteBatchStatus } from '../batch-types';
import { parseParamsOrThrow } from '../common/params';
import type { GenerateRequest } from '../types';
import { commonFields, resultOfBody, type ImagesResponse } from './core';
import { mapOpenAIError } from './errors';
import { createOpenAIParamsSchema } from './params';
import type { PriceTable } from './pricing';

/** OpenAI bills batch requests at half the synchronous price. */
export const BATCH_PRICE_FACTOR = 0.5;
const ENDPOINT = '/v1/images/generations';
/** How many of the newest batches are searched for one whose create answer was lost (the API's page maximum). */
const LOOKUP_LIMIT = 100;

interface BatchObject {
  id?: unknown;
  status?: unknown;
  output_file_id?: unknown;
  error_file_id?: unknown;
  request_counts?: { total?: unknown; completed?: unknown; failed?: unknown } | null;
  metadata?: Record<string, unknown> | null;
  errors?: { data?: Array<{ code?: unknown; message?: unknown; line?: unknown }> } | null;
}

/** One line of an output or error file. */
interface OutputLine {
  custom_id?: unknown;
  response?: { status_code?: unknown; request_id?: unknown; body?: unknown } | null;
  error?: { code?: unknown; message?: unknown } | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The batch object as the batch service needs it; an unknown status is refused rather than guessed. */
export function toRemoteBatch(body: BatchObject | undefined, label: string): RemoteBatch {
  const id = text(body?.id);
  const status = text(body?.status) as RemoteBatchStatus | null;
  if (!id || !status || !REMOTE_BATCH_STATUSES.includes(status)) {
    throw new MalformedResponseError(`${label} answered with a batch object without a known id and status.`);
  }
  const problems = (body?.errors?.data ?? [])
    .map((entry) => [text(entry.line) ?? (typeof entry.line === 'number' ? `line ${entry.line}` : null), text(entry.message)].filter(Boolean).join(': '))
    .filter(Boolean);
  const counts = body?.request_counts;
  return {
    id,
    status,
    outputFileId: text(body?.output_file_id),
    errorFileId: text(body?.error_file_id),
    requestCounts: counts ? { total: count(counts.total), completed: count(counts.completed), failed: count(counts.failed) } : null,
    problem: problems.length ? problems.slice(0, 3).join('; ') : null,
  };
}

/** An HTTP-shaped view of a line's response, so a failed line reads exactly like the same failed synchronous call. */
function asHttpResponse(statusCode: number, body: unknown, requestId: string | undefined): HttpResponse {
  return { status: statusCode, headers: {}, body: Buffer.from(JSON.stringify(body ?? {})), requestId, durationMs: 0 };
}

export interface OpenAIBatchTarget {
  http: HttpClient;
  baseUrl: string;
  headers: Record<string, string>;
  dispatcher?: Dispatcher;
  apiKey?: string;
  model: string;
  prices: PriceTable;
}

export function createOpenAIBatchApi(target: OpenAIBatchTarget): ProviderBatchApi {
  const { http } = target;
  const secrets = [target.apiKey];
  const paramsSchema = createOpenAIParamsSchema(target.model);

  async function call(method: 'GET' | 'POST', path: string, body?: { json?: unknown; form?: FormData; query?: Record<string, string> }): Promise<unknown> {
    const response = await http.send({ method, path, ...body });
    // The generic mapping reads a 404 as a missing model; here it means the batch or file is gone.
    if (response.status === 404) throw new InvalidRequestError(`${http.label} does not know ${path.split('/').slice(0, 2).join(' ')} (404).`, { status: 404, requestId: response.requestId, providerCode: 'not_found' });
    if (response.status >= 300) throw mapOpenAIError(response, { http, model: target.model, secrets });
    return http.json(response);
  }

  return {
    priceFactor: BATCH_PRICE_FACTOR,

    requestLine(customId, generateRequest) {
      const params = parseParamsOrThrow(paramsSchema, generateRequest.params);
      const body = { model: params.model ?? target.model, prompt: generateRequest.prompt, ...commonFields(params) };
      return JSON.stringify({ custom_id: customId, method: 'POST', url: ENDPOINT, body });
    },

    async upload(jsonl, fileName) {
      const form = new FormData();
      form.append('purpose', 'batch');
      form.append('file', new Blob([jsonl], { type: 'application/jsonl' }), fileName);
      const file = (await call('POST', 'files', { form })) as { id?: unknown } | undefined;
      const id = text(file?.id);
      if (!id) throw new MalformedResponseError(`${http.label} answered the file upload without a file id.`);
      return id;
    },

    async create(inputFileId, metadata) {
      return toRemoteBatch((await call('POST', 'batches', { json: { input_file_id: inputFileId, endpoint: ENDPOINT, completion_window: '24h', metadata } })) as BatchObject, http.label);
    },

    async findByMetadata(key, value) {
      // Newest first: a lost create is looked up within seconds or minutes, so it is on the first page.
      const page = (await call('GET', 'batches', { query: { limit: String(LOOKUP_LIMIT) } })) as { data?: BatchObject[] } | undefined;
      const match = (page?.data ?? []).find((entry) => entry?.metadata?.[key] === value);
      return match ? toRemoteBatch(match, http.label) : null;
    },

    async retrieve(batchId) {
      return toRemoteBatch((await call('GET', `batches/${encodeURIComponent(batchId)}`)) as BatchObject, http.label);
    },

    async cancel(batchId) {
      return toRemoteBatch((await call('POST', `batches/${encodeURIComponent(batchId)}/cancel`)) as BatchObject, http.label);
    },

    async *readLines(fileId) {
      // Streamed, not through the JSON client: an output file holds one base64 image per line.
      let response: Dispatcher.ResponseData;
      try {
        response = await request(joinUrl(target.baseUrl, `files/${encodeURIComponent(fileId)}/content`), { method: 'GET', headers: target.headers, dispatcher: target.dispatcher });
      } catch (error) {
        throw errorForFailure(error, { label: http.label, reason: undefined, timeoutMs: 0, receivedHeaders: false, secrets });
      }
      if (response.statusCode >= 300) {
        const body = Buffer.from(await response.body.arrayBuffer());
        throw mapOpenAIError({ status: response.statusCode, headers: {}, body, durationMs: 0 }, { http, model: target.model, secrets });
      }
      const lines = createInterface({ input: Readable.from(response.body), crlfDelay: Infinity });
      for await (const line of lines) if (line.trim()) yield line;
    },

    async parseLine(line, generateRequest: GenerateRequest): Promise<BatchLineOutcome> {
      let parsed: OutputLine;
      try {
        parsed = JSON.parse(line) as OutputLine;
      } catch {
        return { customId: '', ok: false, code: 'malformed_response', message: `${http.label} sent a batch result line that is not JSON.` };
      }
      const customId = text(parsed.custom_id) ?? '';
      const statusCode = typeof parsed.response?.status_code === 'number' ? parsed.response.status_code : null;
      const requestId = text(parsed.response?.request_id) ?? undefined;
      if (parsed.error || statusCode === null || statusCode >= 300) {
        const error = statusCode !== null && statusCode >= 300 ? mapOpenAIError(asHttpResponse(statusCode, parsed.response?.body, requestId), { http, model: target.model, secrets }) : null;
        const code = error?.code ?? text(parsed.error?.code) ?? 'batch_line_failed';
        const message = error?.message ?? text(parsed.error?.message) ?? 'no reason given';
        return { customId, ok: false, code, message: `${http.label} batch: ${message}` };
      }
      try {
        const params = parseParamsOrThrow(paramsSchema, generateRequest.params);
        const result = await resultOfBody(parsed.response?.body as ImagesResponse, { params, effectiveModel: params.model ?? target.model, label: http.label, requestId, prices: target.prices });
        return { customId, ok: true, result: { ...result, costUsd: result.costUsd === undefined ? undefined : Math.round(result.costUsd * BATCH_PRICE_FACTOR * 1e6) / 1e6 } };
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return { customId, ok: false, code: typeof code === 'string' ? code : 'malformed_response', message: (error as Error).message };
      }
    },
  };
}
