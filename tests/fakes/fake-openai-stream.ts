/**
 * The streamed answer of the fake OpenAI Images API (`stream: true`): `partial_images` partial frames, then
 * the completed event with the image and usage, as server-sent events shaped like the real API's
 * (docs/openai-streaming.md). Faults: `stream_cut` closes the connection after some frames, `stream_error`
 * sends an `error` event instead of the image.
 */
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import type { Fault } from './fake-server';

export type StreamFault =
  /** Options: `afterPartials` (default 1) frames sent first; `clean: true` ends the response instead of breaking the socket. */
  | 'stream_cut'
  /** Options: `error` (the error object, default a server error), `afterPartials` (default 0). */
  | 'stream_error';

export const isStreamFault = (fault: Fault | undefined): boolean => fault?.name === 'stream_cut' || fault?.name === 'stream_error';

export interface StreamSettings {
  /** Wait before each frame (partial or completed), like a model that takes time. */
  frameDelayMs: number;
}

export interface StreamedImage {
  endpoint: 'generations' | 'edits';
  partials: number;
  image: Buffer;
  width: number;
  height: number;
  format: 'png' | 'jpeg' | 'webp';
  quality: string;
  background: string;
  usage: Record<string, unknown>;
}

/** A frame clearly unlike the final image (another colour, blurred), so tests can tell them apart. */
export function partialFrame(width: number, height: number, format: StreamedImage['format'], index: number): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: 240, g: 40 + index * 60, b: 40 } } });
  return (format === 'jpeg' ? image.jpeg() : format === 'webp' ? image.webp() : image.png()).toBuffer();
}

const sse = (event: string, data: Record<string, unknown>) => `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;

export async function sendImageStream(
  res: ServerResponse,
  answer: StreamedImage,
  options: { headers: Record<string, string>; settings: StreamSettings; fault?: Fault; later(ms: number, action: () => void): void }
): Promise<void> {
  const { fault, settings } = options;
  const prefix = answer.endpoint === 'edits' ? 'image_edit' : 'image_generation';
  const shared = { created_at: Math.floor(Date.now() / 1000), size: `${answer.width}x${answer.height}`, quality: answer.quality, background: answer.background, output_format: answer.format };
  const frames: string[] = [];
  const stopAfter = fault ? Number(fault.afterPartials ?? (fault.name === 'stream_cut' ? 1 : 0)) : answer.partials;
  for (let index = 0; index < Math.min(answer.partials, stopAfter); index += 1) {
    const data = await partialFrame(answer.width, answer.height, answer.format, index);
    frames.push(sse(`${prefix}.partial_image`, { ...shared, b64_json: data.toString('base64'), partial_image_index: index }));
  }
  let ending: 'complete' | 'cut' | 'end' = 'complete';
  if (fault?.name === 'stream_error') {
    const error = (fault.error as Record<string, unknown>) ?? { type: 'server_error', code: null, message: 'The server had an error while processing your request.', param: null };
    frames.push(sse('error', { error }));
  } else if (fault?.name === 'stream_cut') {
    ending = fault.clean ? 'end' : 'cut';
  } else {
    frames.push(sse(`${prefix}.completed`, { ...shared, b64_json: answer.image.toString('base64'), usage: answer.usage }));
  }

  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...options.headers });
  // The status line and headers go out at once, as the real API's do; the frames follow one by one.
  res.flushHeaders();
  await new Promise<void>((resolve) => {
    const next = () => {
      if (res.destroyed) return resolve();
      const frame = frames.shift();
      if (frame === undefined) {
        if (ending === 'cut') res.destroy();
        else res.end();
        return resolve();
      }
      res.write(frame);
      options.later(settings.frameDelayMs, next);
    };
    options.later(settings.frameDelayMs, next);
  });
}
