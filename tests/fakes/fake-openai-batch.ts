/**
 * The Files and Batch APIs of the fake OpenAI server (hooked into FakeOpenAI.handle): `POST /v1/files`
 * (multipart, purpose=batch), `GET /v1/files/{id}/content`, `POST /v1/batches`, `GET /v1/batches/{id}`,
 * `POST /v1/batches/{id}/cancel`, `GET /v1/batches?limit=` (newest first). Like the real ones: the input file is validated (one JSON request a line,
 * unique custom_id, the batch's endpoint), the status moves validating -> in_progress -> finalizing ->
 * completed over time, each line is answered by the fake's own synchronous endpoint, answers go to the
 * output file and failed requests to the error file. Tests can make lines fail, a batch expire part-way,
 * the whole batch fail, or a create's answer get lost after the batch started.
 */
import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from './fake-server';

export interface BatchBehaviour {
  /** A line for which this returns an answer fails with it instead of being generated. */
  failLine?: (line: { custom_id: string; body: Record<string, unknown> }) => { status: number; error: { message: string; type: string; code: string | null; param?: string | null } } | undefined;
  /** Only this many lines are answered; the batch then ends `expired` (the rest: error code batch_expired). */
  expireAfterLines?: number;
  /** The whole batch ends `failed` after validation with this message (e.g. a token-limit refusal). */
  failBatch?: string;
}

interface StoredFile {
  id: string;
  purpose: string;
  filename: string;
  bytes: Buffer;
  createdAt: number;
}

interface FakeBatch {
  id: string;
  endpoint: string;
  inputFileId: string;
  metadata: Record<string, string> | null;
  status: 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';
  createdAt: number;
  behaviour: BatchBehaviour;
  errors: Array<{ code: string; message: string; line: number | null }>;
  counts: { total: number; completed: number; failed: number };
  outputFileId: string | null;
  errorFileId: string | null;
  /** The input file's requests, once validated. */
  lines: Array<{ custom_id: string; body: Record<string, unknown> }> | null;
  /** Set while lines are being answered. */
  work: Promise<void> | null;
  workDone: boolean;
  cancelRequested: boolean;
  timestamps: Record<string, number>;
}

export interface BatchTiming {
  /** How long a batch stays `validating`. */
  validatingMs: number;
  /** Least time a batch stays `in_progress` (answering lines may take longer). */
  inProgressMs: number;
}

interface Owner {
  apiKey: string;
  url: string;
}

type Send = (res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) => void;

const now = () => Math.floor(Date.now() / 1000);
const SUPPORTED_ENDPOINTS = ['/v1/images/generations', '/v1/images/edits', '/v1/chat/completions', '/v1/embeddings', '/v1/responses'];

export class FakeBatchApi {
  readonly files = new Map<string, StoredFile>();
  readonly batches = new Map<string, FakeBatch>();
  timing: BatchTiming = { validatingMs: 50, inProgressMs: 100 };
  /** How every batch created from now on behaves. */
  behaviour: BatchBehaviour = {};
  /** The next this-many creates start their batch and then drop the connection without answering (a lost answer). */
  dropCreateAnswers = 0;
  /** Applied to the next batch created only, instead of `behaviour`. */
  private nextBehaviour: BatchBehaviour | null = null;
  private counter = 0;

  constructor(private readonly owner: Owner, private readonly send: Send) {}

  /** The next created batch behaves like this (failing lines, expiry, whole-batch failure). */
  nextBatch(behaviour: BatchBehaviour): this {
    this.nextBehaviour = behaviour;
    return this;
  }

  handles(path: string): boolean {
    return path === '/v1/files' || path.startsWith('/v1/files/') || path === '/v1/batches' || path.startsWith('/v1/batches/');
  }

  async handle(request: RecordedRequest, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const fail = (status: number, message: string, param: string | null = null) =>
      this.send(res, status, { error: { message, type: 'invalid_request_error', param, code: null } }, headers);
    const parts = request.path.split('/').filter(Boolean); // v1, files|batches, id?, action?
    if (parts[1] === 'files') {
      if (request.method === 'POST' && parts.length === 2) return this.upload(request, res, headers, fail);
      const file = parts[2] ? this.files.get(parts[2]) : undefined;
      if (!file) return fail(404, `No such File object: ${parts[2] ?? ''}`, 'id');
      if (request.method === 'GET' && parts[3] === 'content') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length), ...headers });
        res.end(file.bytes);
        return;
      }
      if (request.method === 'GET' && parts.length === 3) return this.send(res, 200, this.fileObject(file), headers);
      return fail(404, `Invalid URL (${request.method} ${request.path})`);
    }
    if (request.method === 'POST' && parts.length === 2) return this.create(request, res, headers, fail);
    if (request.method === 'GET' && parts.length === 2) {
      // Newest first, `limit` of them (1-100, default 20), like the real list.
      const limit = Math.min(100, Math.max(1, Number(request.query?.limit ?? 20) || 20));
      const data = [...this.batches.values()].reverse().slice(0, limit).map((batch) => this.batchObject(batch));
      return this.send(res, 200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: this.batches.size > limit }, headers);
    }
    const batch = parts[2] ? this.batches.get(parts[2]) : undefined;
    if (!batch) return fail(404, `No batch found with id '${parts[2] ?? ''}'.`, 'batch_id');
    if (request.method === 'GET' && parts.length === 3) {
      this.advance(batch);
      return this.send(res, 200, this.batchObject(batch), headers);
    }
    if (request.method === 'POST' && parts[3] === 'cancel') {
      if (['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) return fail(409, `Cannot cancel a batch with status '${batch.status}'.`);
      batch.cancelRequested = true;
      if (batch.status !== 'cancelling') {
        batch.status = 'cancelling';
        batch.timestamps.cancelling_at = now();
      }
      return this.send(res, 200, this.batchObject(batch), headers);
    }
    return fail(404, `Invalid URL (${request.method} ${request.path})`);
  }

  private async upload(request: RecordedRequest, res: ServerResponse, headers: Record<string, string>, fail: (status: number, message: string, param?: string | null) => void) {
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data')) return fail(400, 'Files are uploaded as multipart/form-data.');
    const form = await new Response(request.rawBody, { headers: { 'content-type': type } }).formData();
    const purpose = form.get('purpose');
    const file = form.get('file');
    if (typeof purpose !== 'string' || !['batch', 'assistants', 'fine-tune', 'vision', 'user_data'].includes(purpose)) return fail(400, "Invalid value for 'purpose'.", 'purpose');
    if (!file || typeof file === 'string') return fail(400, "Missing required parameter: 'file'.", 'file');
    if (purpose === 'batch' && !file.name.endsWith('.jsonl')) return fail(400, 'Invalid file format for Batch API. Must be .jsonl', 'file');
    const stored = this.store(Buffer.from(await file.arrayBuffer()), purpose, file.name);
    this.send(res, 200, this.fileObject(stored), headers);
  }

  private async create(request: RecordedRequest, res: ServerResponse, headers: Record<string, string>, fail: (status: number, message: string, param?: string | null) => void) {
    const body = request.json ?? {};
    const input = typeof body.input_file_id === 'string' ? this.files.get(body.input_file_id) : undefined;
    if (!input) return fail(400, `No such File object: ${String(body.input_file_id)}`, 'input_file_id');
    if (input.purpose !== 'batch') return fail(400, "The input file must be uploaded with purpose 'batch'.", 'input_file_id');
    if (typeof body.endpoint !== 'string' || !SUPPORTED_ENDPOINTS.includes(body.endpoint)) return fail(400, `Invalid value for 'endpoint': ${String(body.endpoint)}.`, 'endpoint');
    if (body.completion_window !== '24h') return fail(400, "Invalid value for 'completion_window': only '24h' is supported.", 'completion_window');
    this.counter += 1;
    const batch: FakeBatch = {
      id: `batch_fake${String(this.counter).padStart(6, '0')}`,
      endpoint: body.endpoint,
      inputFileId: input.id,
      metadata: (body.metadata as Record<string, string> | undefined) ?? null,
      status: 'validating',
      createdAt: Date.now(),
      behaviour: this.nextBehaviour ?? this.behaviour,
      errors: [],
      counts: { total: 0, completed: 0, failed: 0 },
      outputFileId: null,
      errorFileId: null,
      lines: null,
      work: null,
      workDone: false,
      cancelRequested: false,
      timestamps: { created_at: now() },
    };
    this.nextBehaviour = null;
    this.batches.set(batch.id, batch);
    if (this.dropCreateAnswers > 0) {
      this.dropCreateAnswers -= 1;
      res.destroy(); // the batch exists and will be billed; the client never learns its id
      return;
    }
    this.send(res, 200, this.batchObject(batch), headers);
  }

  /** Moves a batch along its lifecycle according to the time passed (called on every retrieve). */
  private advance(batch: FakeBatch): void {
    const age = Date.now() - batch.createdAt;
    if (batch.status === 'validating' && age >= this.timing.validatingMs) {
      batch.lines = this.validate(batch);
      if (batch.errors.length || batch.behaviour.failBatch) {
        if (batch.behaviour.failBatch) batch.errors.push({ code: 'batch_failed', message: batch.behaviour.failBatch, line: null });
        batch.status = 'failed';
        batch.timestamps.failed_at = now();
        return;
      }
      batch.status = 'in_progress';
      batch.timestamps.in_progress_at = now();
      batch.counts.total = batch.lines.length;
      return;
    }
    // Lines are answered once the batch has been in progress long enough, or at once when it is being cancelled.
    const due = batch.status === 'cancelling' || (batch.status === 'in_progress' && age >= this.timing.validatingMs + this.timing.inProgressMs);
    if (due && !batch.work && batch.lines) {
      batch.work = this.answer(batch, batch.lines).then(() => {
        batch.workDone = true;
      });
      return;
    }
    if ((batch.status === 'in_progress' || batch.status === 'cancelling') && batch.workDone) {
      batch.status = batch.status === 'cancelling' ? 'cancelled' : 'finalizing';
      batch.timestamps[batch.status === 'cancelled' ? 'cancelled_at' : 'finalizing_at'] = now();
      return;
    }
    if (batch.status === 'finalizing') {
      const expired = batch.behaviour.expireAfterLines !== undefined && batch.behaviour.expireAfterLines < batch.counts.total;
      batch.status = expired ? 'expired' : 'completed';
      batch.timestamps[expired ? 'expired_at' : 'completed_at'] = now();
    }
  }

  /** Checks every line the way the real API does; returns the parsed lines. */
  private validate(batch: FakeBatch): Array<{ custom_id: string; body: Record<string, unknown> }> {
    const text = this.files.get(batch.inputFileId)!.bytes.toString('utf8');
    const lines: Array<{ custom_id: string; body: Record<string, unknown> }> = [];
    const seen = new Set<string>();
    text.split('\n').forEach((raw, index) => {
      if (!raw.trim()) return;
      const line = index + 1;
      let parsed: { custom_id?: unknown; method?: unknown; url?: unknown; body?: unknown };
      try {
        parsed = JSON.parse(raw);
      } catch {
        batch.errors.push({ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', line });
        return;
      }
      if (typeof parsed.custom_id !== 'string' || !parsed.custom_id) batch.errors.push({ code: 'missing_required_parameter', message: "Missing required parameter: 'custom_id'.", line });
      else if (seen.has(parsed.custom_id)) batch.errors.push({ code: 'duplicate_custom_id', message: 'The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.', line });
      else seen.add(parsed.custom_id);
      if (parsed.method !== 'POST') batch.errors.push({ code: 'invalid_method', message: "Invalid value for 'method': only POST is supported.", line });
      if (parsed.url !== batch.endpoint) batch.errors.push({ code: 'mismatched_endpoint', message: `The provided url ${String(parsed.url)} does not match the batch endpoint ${batch.endpoint}.`, line });
      if (!parsed.body || typeof parsed.body !== 'object') batch.errors.push({ code: 'missing_required_parameter', message: "Missing required parameter: 'body'.", line });
      lines.push({ custom_id: String(parsed.custom_id), body: parsed.body as Record<string, unknown> });
    });
    if (lines.length === 0 && batch.errors.length === 0) batch.errors.push({ code: 'empty_file', message: 'The batch input file is empty.', line: null });
    return lines;
  }

  /** Answers each line through the fake's own synchronous endpoint; writes the output and error files. */
  private async answer(batch: FakeBatch, lines: Array<{ custom_id: string; body: Record<string, unknown> }>): Promise<void> {
    const output: string[] = [];
    const errors: string[] = [];
    const limit = batch.behaviour.expireAfterLines ?? lines.length;
    for (const [index, line] of lines.entries()) {
      const lineId = `batch_req_${batch.id}_${index}`;
      if (index >= limit || batch.cancelRequested) {
        const [code, message] = batch.cancelRequested
          ? ['batch_cancelled', 'This request was not executed because the batch was cancelled.']
          : ['batch_expired', 'This request could not be executed before the completion window expired.'];
        errors.push(JSON.stringify({ id: lineId, custom_id: line.custom_id, response: null, error: { code, message } }));
        continue;
      }
      const injected = batch.behaviour.failLine?.(line);
      const answer = injected
        ? { status: injected.status, body: { error: { param: null, ...injected.error } }, requestId: `req_batchline_${index}` }
        : await this.callSync(batch.endpoint, line.body);
      const record = JSON.stringify({ id: lineId, custom_id: line.custom_id, response: { status_code: answer.status, request_id: answer.requestId, body: answer.body }, error: null });
      if (answer.status < 300) {
        output.push(record);
        batch.counts.completed += 1;
      } else {
        errors.push(record);
        batch.counts.failed += 1;
      }
    }
    // Like the real API: answers in any order, so clients must map by custom_id.
    output.reverse();
    if (output.length) batch.outputFileId = this.store(Buffer.from(`${output.join('\n')}\n`), 'batch_output', `${batch.id}_output.jsonl`).id;
    if (errors.length) batch.errorFileId = this.store(Buffer.from(`${errors.join('\n')}\n`), 'batch_output', `${batch.id}_error.jsonl`).id;
  }

  private async callSync(endpoint: string, body: Record<string, unknown>): Promise<{ status: number; body: unknown; requestId: string }> {
    const response = await fetch(`${this.owner.url}${endpoint}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.owner.apiKey}`, 'content-type': 'application/json', 'x-fake-batch-line': '1' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json(), requestId: response.headers.get('x-request-id') ?? '' };
  }

  private store(bytes: Buffer, purpose: string, filename: string): StoredFile {
    this.counter += 1;
    const file = { id: `file-fake${String(this.counter).padStart(6, '0')}`, purpose, filename, bytes, createdAt: now() };
    this.files.set(file.id, file);
    return file;
  }

  private fileObject(file: StoredFile) {
    return { id: file.id, object: 'file', bytes: file.bytes.length, created_at: file.createdAt, filename: file.filename, purpose: file.purpose, status: 'processed' };
  }

  private batchObject(batch: FakeBatch) {
    return {
      id: batch.id,
      object: 'batch',
      endpoint: batch.endpoint,
      errors: batch.errors.length ? { object: 'list', data: batch.errors.map((error) => ({ ...error, param: null })) } : null,
      input_file_id: batch.inputFileId,
      completion_window: '24h',
      status: batch.status,
      output_file_id: ['completed', 'expired', 'cancelled'].includes(batch.status) ? batch.outputFileId : null,
      error_file_id: ['completed', 'expired', 'cancelled'].includes(batch.status) ? batch.errorFileId : null,
      created_at: batch.timestamps.created_at,
      in_progress_at: batch.timestamps.in_progress_at ?? null,
      expires_at: batch.timestamps.created_at + 86_400,
      finalizing_at: batch.timestamps.finalizing_at ?? null,
      completed_at: batch.timestamps.completed_at ?? null,
      failed_at: batch.timestamps.failed_at ?? null,
      expired_at: batch.timestamps.expired_at ?? null,
      cancelling_at: batch.timestamps.cancelling_at ?? null,
      cancelled_at: batch.timestamps.cancelled_at ?? null,
      request_counts: batch.counts,
      metadata: batch.metadata,
    };
  }
}
