/**
 * Reading an OpenAI image stream (server-sent events, see docs/openai-streaming.md): partial frames while the
 * image is made, then one `completed` event shaped like the synchronous answer, or an `error` event.
 *
 * eventsource-parser does the SSE framing (multi-line `data:`, comments, CR/LF variants, chunks split anywhere)
 * with a buffer cap, so a stream that never ends an event cannot grow memory without limit.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { MalformedResponseError, type ProviderError } from '../errors';

/** The completed event, rebuilt into the synchronous answer's shape so both paths decode the same way. */
export interface CompletedImages {
  created?: number;
  data: Array<{ b64_json?: unknown }>;
  output_format?: string;
  size?: string;
  quality?: string;
  background?: string;
  usage?: Record<string, unknown>;
}

export type ImageStreamEvent =
  | { kind: 'partial'; index: number; b64: string; outputFormat?: string }
  | { kind: 'completed'; answer: CompletedImages }
  | { kind: 'error'; error: Record<string, unknown> }
  | { kind: 'ignored' };

const asString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** One SSE message -> what it means for us. Unknown event types are ignored (the API may add some). */
export function toImageStreamEvent(message: EventSourceMessage, label: string, requestId?: string): ImageStreamEvent {
  if (message.data.trim() === '[DONE]') return { kind: 'ignored' };
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(message.data) as Record<string, unknown>;
  } catch {
    throw new MalformedResponseError(`${label} sent a stream event that is not valid JSON.`, { requestId, providerCode: 'stream_malformed' });
  }
  if (!data || typeof data !== 'object') throw new MalformedResponseError(`${label} sent an empty stream event.`, { requestId, providerCode: 'stream_malformed' });
  const name = message.event ?? asString(data.type) ?? '';
  if (name === 'error' || (data.error && typeof data.error === 'object')) {
    // The error object sits under `error`; some servers put its fields at the top level.
    const error = data.error && typeof data.error === 'object' ? (data.error as Record<string, unknown>) : data;
    return { kind: 'error', error };
  }
  if (name.endsWith('.partial_image')) {
    const index = data.partial_image_index;
    if (typeof data.b64_json !== 'string' || !data.b64_json || typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      throw new MalformedResponseError(`${label} sent a partial image event without image data or index.`, { requestId, providerCode: 'stream_malformed' });
    }
    return { kind: 'partial', index, b64: data.b64_json, outputFormat: asString(data.output_format) };
  }
  if (name.endsWith('.completed')) {
    return {
      kind: 'completed',
      answer: {
        created: typeof data.created_at === 'number' ? data.created_at : undefined,
        data: [{ b64_json: data.b64_json }],
        output_format: asString(data.output_format),
        size: asString(data.size),
        quality: asString(data.quality),
        background: asString(data.background),
        usage: data.usage && typeof data.usage === 'object' ? (data.usage as Record<string, unknown>) : undefined,
      },
    };
  }
  return { kind: 'ignored' };
}

export interface ReadStreamOptions {
  label: string;
  requestId?: string;
  /** Longest event the parser may buffer (characters). */
  maxEventChars: number;
  onPartial(event: Extract<ImageStreamEvent, { kind: 'partial' }>): Promise<void>;
  /** The provider's own error mapping, the same one its synchronous error answers go through. */
  mapError(error: Record<string, unknown>): ProviderError;
}

/**
 * Reads the stream to its `completed` event. Throws the mapped error on an `error` event and a retryable
 * `MalformedResponseError` when the stream ends without completing (a connection cut mid-way).
 */
export async function readImageStream(body: AsyncIterable<Buffer>, options: ReadStreamOptions): Promise<CompletedImages> {
  const { label, requestId } = options;
  const pending: EventSourceMessage[] = [];
  let overflow = false;
  const parser = createParser({
    maxBufferSize: options.maxEventChars,
    onEvent: (message) => pending.push(message),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') overflow = true;
    },
  });
  const decoder = new TextDecoder();
  let partials = 0;

  async function drain(): Promise<CompletedImages | undefined> {
    while (pending.length) {
      const event = toImageStreamEvent(pending.shift()!, label, requestId);
      if (event.kind === 'error') throw options.mapError(event.error);
      if (event.kind === 'completed') return event.answer;
      if (event.kind === 'partial') {
        partials += 1;
        await options.onPartial(event);
      }
    }
    return undefined;
  }

  for await (const chunk of body) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (overflow) {
      throw new MalformedResponseError(`${label} sent a stream event larger than ${Math.round(options.maxEventChars / 1048576)} MB.`, { requestId, providerCode: 'response_too_large' });
    }
    const completed = await drain();
    if (completed) return completed;
  }
  parser.feed(decoder.decode());
  parser.reset({ consume: true });
  const completed = await drain();
  if (completed) return completed;
  const seen = partials ? ` after ${partials} partial image${partials === 1 ? '' : 's'}` : '';
  throw new MalformedResponseError(`The image stream from ${label} ended before the image was complete${seen}; the connection was probably cut.`, {
    requestId,
    providerCode: 'stream_incomplete',
  });
}
