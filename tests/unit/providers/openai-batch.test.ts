import { openAIProviderType } from '../../../server/src/providers/openai';
import { toRemoteBatch } from '../../../server/src/providers/openai/batch';
import { guardAnswers } from '../../../server/src/providers/answer-guard';
import type { ProviderBatchApi, RemoteBatch } from '../../../server/src/providers/batch-types';
import { FakeOpenAI } from '../../fakes/fake-openai';
import { captureLog } from './support';

const request = (prompt: string) => ({ prompt, params: { size: '1024x1024', quality: 'low' } });

async function until(batch: ProviderBatchApi, id: string, statuses: string[]): Promise<RemoteBatch> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const remote = await batch.retrieve(id);
    if (statuses.includes(remote.status)) return remote;
    if (Date.now() > deadline) throw new Error(`batch stayed ${remote.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function readAll(batch: ProviderBatchApi, fileId: string | null): Promise<string[]> {
  const lines: string[] = [];
  if (fileId) for await (const line of batch.readLines(fileId)) lines.push(line);
  return lines;
}

describe('openai batch api', () => {
  let fake: FakeOpenAI;
  let batch: ProviderBatchApi;
  const logs = captureLog();

  beforeEach(async () => {
    fake = await new FakeOpenAI().start();
    fake.batchApi.timing = { validatingMs: 10, inProgressMs: 20 };
    const provider = openAIProviderType.create({ name: 'studio', log: logs.log, options: openAIProviderType.optionsSchema.parse({ apiKey: fake.apiKey, baseUrl: `${fake.url}/v1` }) });
    batch = guardAnswers(provider, { secrets: [fake.apiKey], maxRetryAfterMs: 60_000 }).batch as ProviderBatchApi;
  });
  afterEach(() => fake.stop());

  describe('requestLine', () => {
    it('writes the synchronous body with the model, tagged with the custom_id', () => {
      expect(JSON.parse(batch.requestLine('job-7', request('a lamp')))).toEqual({
        custom_id: 'job-7',
        method: 'POST',
        url: '/v1/images/generations',
        body: { model: 'gpt-image-2', prompt: 'a lamp', size: '1024x1024', quality: 'low' },
      });
    });

    it('refuses params the provider does not take, like the synchronous call', () => {
      expect(() => batch.requestLine('job-1', { prompt: 'x', params: { quality: 'ultra' } })).toThrow(/Invalid image settings/);
    });
  });

  describe('a whole batch over HTTP', () => {
    it('uploads, creates, completes, and maps every line back at half the synchronous price', async () => {
      fake.batchApi.behaviour = {
        failLine: (line) => (line.custom_id === 'job-2' ? { status: 400, error: { message: 'Your request was rejected by the safety system.', type: 'image_generation_user_error', code: 'moderation_blocked' } } : undefined),
      };
      const jsonl = ['job-1', 'job-2', 'job-3'].map((id) => batch.requestLine(id, request(`prompt ${id}`))).join('\n');
      const fileId = await batch.upload(Buffer.from(`${jsonl}\n`), 'input.jsonl');
      expect(fake.requestsTo('/v1/files')[0].parts?.find((part) => part.name === 'purpose')?.value).toBe('batch');
      const created = await batch.create(fileId, { ai_assets_batch: '1' });
      expect(created.status).toBe('validating');
      const done = await until(batch, created.id, ['completed']);
      expect(done.requestCounts).toEqual({ total: 3, completed: 2, failed: 1 });

      const outcomes = new Map();
      for (const line of [...(await readAll(batch, done.outputFileId)), ...(await readAll(batch, done.errorFileId))]) {
        const outcome = await batch.parseLine(line, request('x'));
        outcomes.set(outcome.customId, outcome);
      }
      expect(outcomes.get('job-1')).toMatchObject({ ok: true, result: { costUsd: 0.003, model: 'gpt-image-2' } });
      expect(outcomes.get('job-1').result.images[0].data.length).toBeGreaterThan(100);
      expect(outcomes.get('job-3')).toMatchObject({ ok: true });
      expect(outcomes.get('job-2')).toMatchObject({ ok: false, code: 'moderation_blocked' });
      expect(outcomes.get('job-2').message).toMatch(/safety system/);
    });

    it('returns the completed lines of an expired batch and marks the rest batch_expired', async () => {
      fake.batchApi.nextBatch({ expireAfterLines: 1 });
      const jsonl = ['job-1', 'job-2'].map((id) => batch.requestLine(id, request(id))).join('\n');
      const remote = await until(batch, (await batch.create(await batch.upload(Buffer.from(jsonl), 'in.jsonl'), {})).id, ['expired']);
      const [answered] = await readAll(batch, remote.outputFileId);
      expect(await batch.parseLine(answered, request('x'))).toMatchObject({ customId: 'job-1', ok: true });
      const [unanswered] = await readAll(batch, remote.errorFileId);
      expect(await batch.parseLine(unanswered, request('x'))).toMatchObject({ customId: 'job-2', ok: false, code: 'batch_expired' });
    });

    it('reports a batch whose file fails validation as failed, quoting the line', async () => {
      const line = batch.requestLine('job-1', request('x'));
      const remote = await until(batch, (await batch.create(await batch.upload(Buffer.from(`${line}\n${line}\n`), 'in.jsonl'), {})).id, ['failed']);
      expect(remote.problem).toMatch(/line 2: The custom_id for this request is a duplicate/);
    });

    it('cancels an open batch', async () => {
      fake.batchApi.timing = { validatingMs: 10, inProgressMs: 60_000 };
      const created = await batch.create(await batch.upload(Buffer.from(batch.requestLine('job-1', request('x'))), 'in.jsonl'), {});
      await until(batch, created.id, ['in_progress']);
      expect((await batch.cancel(created.id)).status).toBe('cancelling');
      const cancelled = await until(batch, created.id, ['cancelled']);
      const [line] = await readAll(batch, cancelled.errorFileId);
      expect(await batch.parseLine(line, request('x'))).toMatchObject({ customId: 'job-1', ok: false, code: 'batch_cancelled' });
    });

    it('maps API errors like the synchronous ones, without the key', async () => {
      await expect(batch.retrieve('batch_missing')).rejects.toMatchObject({ code: 'invalid_request', message: 'OpenAI does not know batches batch_missing (404).' });
      const wrongKey = openAIProviderType.create({ name: 'studio', log: logs.log, options: openAIProviderType.optionsSchema.parse({ apiKey: 'sk-wrong-key-0000000000', baseUrl: `${fake.url}/v1` }) });
      const error = await wrongKey.batch!.upload(Buffer.from('{}'), 'in.jsonl').catch((caught: Error) => caught);
      expect(error).toMatchObject({ code: 'auth' });
      expect(String((error as Error).message)).not.toContain('sk-wrong-key-0000000000');
    });
  });

  describe('findByMetadata', () => {
    it('finds a created batch by its metadata in the newest batches, and answers null for one never created', async () => {
      const fileId = await batch.upload(Buffer.from(`${batch.requestLine('job-1', request('a'))}\n`), 'input.jsonl');
      const first = await batch.create(fileId, { ai_assets_batch: '7' });
      await batch.create(fileId, { ai_assets_batch: '8' });
      expect((await batch.findByMetadata('ai_assets_batch', '7'))?.id).toBe(first.id);
      expect(await batch.findByMetadata('ai_assets_batch', '9')).toBeNull();
      expect(fake.requestsTo('/v1/batches').filter((call) => call.method === 'GET').at(-1)?.query).toEqual({ limit: '100' });
    });
  });

  describe('parseLine', () => {
    it.each([
      ['not JSON', 'malformed_response'],
      [JSON.stringify({ custom_id: 'job-1', response: { status_code: 200, request_id: 'r', body: { data: [] } }, error: null }), 'malformed_response'],
      [JSON.stringify({ custom_id: 'job-1', response: { status_code: 200, request_id: 'r', body: { data: [{ b64_json: 'bm90IGFuIGltYWdl' }] } }, error: null }), 'malformed_response'],
      [JSON.stringify({ custom_id: 'job-1', response: null, error: { code: 'batch_expired', message: 'expired' } }), 'batch_expired'],
    ])('reads %s as a failed line (%s)', async (line, code) => {
      expect(await batch.parseLine(line, request('x'))).toMatchObject({ ok: false, code });
    });

    it('keeps the key out of a failed line that echoes it', async () => {
      const line = JSON.stringify({ custom_id: 'job-1', response: { status_code: 400, request_id: 'r', body: { error: { message: `bad key ${fake.apiKey}`, type: 'invalid_request_error', code: null } } }, error: null });
      const outcome = await batch.parseLine(line, request('x'));
      expect(JSON.stringify(outcome)).not.toContain(fake.apiKey);
    });
  });

  describe('toRemoteBatch', () => {
    it('refuses a batch object with an unknown status', () => {
      expect(() => toRemoteBatch({ id: 'batch_1', status: 'pending' }, 'OpenAI')).toThrow(/known id and status/);
    });
  });
});
