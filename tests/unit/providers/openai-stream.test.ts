import sharp from 'sharp';
import { isRetryable, MalformedResponseError, ModerationBlockedError, QuotaExceededError, RateLimitedError, ServerError } from '../../../server/src/providers/errors';
import { openAIProviderType } from '../../../server/src/providers/openai';
import { readImageStream, toImageStreamEvent } from '../../../server/src/providers/openai/stream';
import type { ImageProvider, PartialFrame } from '../../../server/src/providers/types';
import { FakeOpenAI } from '../../fakes/fake-openai';
import { captureLog, pngImage, rejectionOf, signal } from './support';

const chunks = async function* (...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
};

describe('openai image stream', () => {
  describe('toImageStreamEvent', () => {
    it.each([
      ['a partial frame', { event: 'image_generation.partial_image', data: '{"b64_json":"AAA","partial_image_index":1,"output_format":"png"}' }, { kind: 'partial', index: 1, b64: 'AAA', outputFormat: 'png' }],
      ['an edit partial named only by its type', { data: '{"type":"image_edit.partial_image","b64_json":"AAA","partial_image_index":0}' }, { kind: 'partial', index: 0, b64: 'AAA', outputFormat: undefined }],
      ['an error event', { event: 'error', data: '{"type":"error","error":{"code":"moderation_blocked","message":"no"}}' }, { kind: 'error', error: { code: 'moderation_blocked', message: 'no' } }],
      ['an error without a name', { data: '{"error":{"type":"server_error"}}' }, { kind: 'error', error: { type: 'server_error' } }],
      ['an unknown event', { event: 'image_generation.progress', data: '{}' }, { kind: 'ignored' }],
      ['the [DONE] sentinel', { data: '[DONE]' }, { kind: 'ignored' }],
    ])('reads %s', (_name, message, expected) => {
      expect(toImageStreamEvent(message, 'OpenAI')).toEqual(expected);
    });

    it('rebuilds the completed event into the synchronous answer shape', () => {
      const event = toImageStreamEvent(
        { event: 'image_edit.completed', data: JSON.stringify({ b64_json: 'BBB', size: '1024x1024', quality: 'low', output_format: 'webp', background: 'opaque', created_at: 5, usage: { input_tokens: 3 } }) },
        'OpenAI'
      );
      expect(event).toEqual({ kind: 'completed', answer: { created: 5, data: [{ b64_json: 'BBB' }], size: '1024x1024', quality: 'low', output_format: 'webp', background: 'opaque', usage: { input_tokens: 3 } } });
    });

    it.each([
      ['not JSON', { event: 'image_generation.partial_image', data: '{oops' }],
      ['a partial without data', { event: 'image_generation.partial_image', data: '{"partial_image_index":0}' }],
      ['a partial with a negative index', { event: 'image_generation.partial_image', data: '{"b64_json":"A","partial_image_index":-1}' }],
    ])('refuses %s as a retryable malformed answer', (_name, message) => {
      let thrown: unknown;
      try {
        toImageStreamEvent(message, 'OpenAI', 'req_1');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MalformedResponseError);
      expect((thrown as MalformedResponseError).requestId).toBe('req_1');
      expect(isRetryable(thrown)).toBe(true);
    });
  });

  describe('readImageStream', () => {
    const options = (seen: number[] = []) => ({
      label: 'OpenAI',
      maxEventChars: 10_000,
      onPartial: async (event: { index: number }) => void seen.push(event.index),
      mapError: () => new ServerError('mapped'),
    });

    it('hands partials over in order and returns the completed answer, whatever the chunking', async () => {
      const seen: number[] = [];
      const text =
        'event: image_generation.partial_image\ndata: {"b64_json":"A","partial_image_index":0}\n\n' +
        ': keep-alive comment\n\n' +
        'event: image_generation.partial_image\r\ndata: {"b64_json":"B","partial_image_index":1}\r\n\r\n' +
        'event: image_generation.completed\ndata: {"b64_json":"C","usage":{"total_tokens":9}}\n\n';
      const answer = await readImageStream(chunks(...text.match(/[\s\S]{1,7}/g)!), options(seen));
      expect(seen).toEqual([0, 1]);
      expect(answer.data).toEqual([{ b64_json: 'C' }]);
      expect(answer.usage).toEqual({ total_tokens: 9 });
    });

    it('fails with a readable, retryable reason when the stream ends before completing', async () => {
      const error = await rejectionOf(readImageStream(chunks('event: image_generation.partial_image\ndata: {"b64_json":"A","partial_image_index":0}\n\n'), options()));
      expect(error).toBeInstanceOf(MalformedResponseError);
      expect((error as Error).message).toBe('The image stream from OpenAI ended before the image was complete after 1 partial image; the connection was probably cut.');
      expect((error as MalformedResponseError).providerCode).toBe('stream_incomplete');
      expect(isRetryable(error)).toBe(true);
    });

    it('throws the mapped error of an error event', async () => {
      const error = await rejectionOf(readImageStream(chunks('event: error\ndata: {"error":{"type":"server_error"}}\n\n'), options()));
      expect((error as Error).message).toBe('mapped');
    });

    it('refuses an event longer than the cap without buffering it all', async () => {
      const error = await rejectionOf(readImageStream(chunks('data: ', 'x'.repeat(6000), 'x'.repeat(6000)), options()));
      expect(error).toBeInstanceOf(MalformedResponseError);
      expect((error as MalformedResponseError).providerCode).toBe('response_too_large');
    });
  });

  describe('provider over HTTP (fake OpenAI)', () => {
    let fake: FakeOpenAI;
    const logs = captureLog();
    const build = (options: Record<string, unknown> = {}): ImageProvider =>
      openAIProviderType.create({ name: 'studio', log: logs.log, options: openAIProviderType.optionsSchema.parse({ apiKey: fake.apiKey, baseUrl: `${fake.url}/v1`, ...options }) });

    beforeEach(async () => {
      fake = await new FakeOpenAI().start();
    });
    afterEach(() => fake.stop());

    it('does not stream a call for several images: a stream ends at its first image and the other paid ones would be lost', async () => {
      await build({ partialImages: 2 }).generate({ prompt: 'a fox', params: { size: '1024x1024', n: 3 } }, { signal: signal() });
      expect(fake.requests[0].json).toEqual({ model: 'gpt-image-2', prompt: 'a fox', size: '1024x1024', n: 3 });
    });

    it('does not stream by default', async () => {
      await build().generate({ prompt: 'a fox', params: { size: '1024x1024' } }, { signal: signal() });
      expect(fake.requests[0].json).toEqual({ model: 'gpt-image-2', prompt: 'a fox', size: '1024x1024' });
    });

    it('streams generations with partial_images from the provider option, partials first, the final image as the result', async () => {
      const frames: PartialFrame[] = [];
      const result = await build({ partialImages: 2 }).generate({ prompt: 'a fox', params: { size: '1024x1024' } }, { signal: signal(), onPartial: (frame) => void frames.push(frame) });
      expect(fake.requests[0].json).toEqual({ model: 'gpt-image-2', prompt: 'a fox', size: '1024x1024', stream: true, partial_images: 2 });
      expect(fake.requests[0].headers.accept).toBe('text/event-stream');
      expect(frames.map((frame) => [frame.index, frame.mime])).toEqual([[0, 'image/png'], [1, 'image/png']]);
      const partialColour = (await sharp(frames[0].data).stats()).channels[0].mean;
      const finalColour = (await sharp(result.images[0].data).stats()).channels[0].mean;
      expect(partialColour).toBeGreaterThan(200);
      expect(finalColour).toBeLessThan(10);
      expect(result.usage?.totalTokens).toBe(1050);
      expect(result.requestId).toBe('req_fake_1');
      expect(result.costUsd).toBeGreaterThan(0);
    });

    it('streams edits as multipart fields; a rule param overrides the provider option', async () => {
      const frames: PartialFrame[] = [];
      const result = await build({ partialImages: 3 }).edit(
        { prompt: 'make it blue', params: { partial_images: 1 }, images: [{ data: await pngImage(1024, 1024), mime: 'image/png', name: 'a.png' }] },
        { signal: signal(), onPartial: (frame) => void frames.push(frame) }
      );
      const fields = Object.fromEntries((fake.requests[0].parts ?? []).filter((part) => part.value !== undefined).map((part) => [part.name, part.value]));
      expect(fields).toMatchObject({ stream: 'true', partial_images: '1' });
      expect(frames.map((frame) => frame.index)).toEqual([0]);
      expect(result.images).toHaveLength(1);
    });

    it('a stream cut mid-way is a retryable failure with a readable reason', async () => {
      fake.inject({ name: 'stream_cut', afterPartials: 1 });
      const frames: PartialFrame[] = [];
      const error = await rejectionOf(build({ partialImages: 2 }).generate({ prompt: 'a fox', params: {} }, { signal: signal(), onPartial: (frame) => void frames.push(frame) }));
      expect(frames).toHaveLength(1);
      expect(error).toBeInstanceOf(MalformedResponseError);
      expect((error as Error).message).toBe('The answer from OpenAI was cut off before the end.');
      expect(isRetryable(error)).toBe(true);
    });

    it('a stream that ends cleanly without the image is a retryable failure', async () => {
      fake.inject({ name: 'stream_cut', afterPartials: 2, clean: true });
      const error = await rejectionOf(build({ partialImages: 2 }).generate({ prompt: 'a fox', params: {} }, { signal: signal() }));
      expect((error as Error).message).toMatch(/^The image stream from OpenAI ended before the image was complete after 2 partial images/);
      expect(isRetryable(error)).toBe(true);
    });

    it.each([
      ['moderation', { type: 'image_generation_user_error', code: 'moderation_blocked', message: 'Your request was rejected by the safety system.', moderation_details: { moderation_stage: 'output', categories: ['violence'] } }, ModerationBlockedError, false],
      ['quota', { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota.' }, QuotaExceededError, false],
      ['rate limit', { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached.' }, RateLimitedError, true],
      ['server error', { type: 'server_error', code: null, message: 'Sorry.' }, ServerError, true],
    ])('an error event (%s) maps to the same error kind as a synchronous answer', async (_name, errorObject, kind, retryable) => {
      fake.inject({ name: 'stream_error', error: errorObject, afterPartials: 1 });
      const error = await rejectionOf(build({ partialImages: 2 }).generate({ prompt: 'a fox', params: {} }, { signal: signal() }));
      expect(error).toBeInstanceOf(kind);
      expect(isRetryable(error)).toBe(retryable);
      expect((error as ServerError).requestId).toBe('req_fake_1');
    });

    it('skips a partial frame larger than the image limits (a preview never fails the paid call) and still checks the final image', async () => {
      const { configureDecodeLimits, decodeLimits } = await import('../../../server/src/media/decode');
      const before = { ...decodeLimits() };
      configureDecodeLimits({ ...before, maxInputBytes: 1000 });
      try {
        const frames: PartialFrame[] = [];
        const error = await rejectionOf(build({ partialImages: 1 }).generate({ prompt: 'a fox', params: {} }, { signal: signal(), onPartial: (frame) => void frames.push(frame) }));
        expect(frames).toHaveLength(0);
        expect(logs.lines.join('\n')).toMatch(/a partial frame was not taken: .*partial image larger than/);
        expect((error as Error).message).not.toMatch(/partial/);
        expect((error as Error).message).toMatch(/larger than/);
      } finally {
        configureDecodeLimits(before);
      }
    });
  });
});
