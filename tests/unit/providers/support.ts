/** Shared helpers for provider tests: captured logs, test images, error assertions. */
import sharp from 'sharp';
import type { ProviderFactoryContext } from '../../../server/src/providers/types';

export function captureLog(): { log: ProviderFactoryContext['log']; lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') }, lines };
}

export async function pngImage(width: number, height: number, options: { alpha?: boolean } = {}): Promise<Buffer> {
  return sharp({ create: { width, height, channels: options.alpha ? 4 : 3, background: { r: 200, g: 40, b: 40, alpha: options.alpha ? 0.5 : 1 } } })
    .png()
    .toBuffer();
}

/** A black-and-white mask: white everywhere except a black square in the middle (the area to edit). */
export async function blackAndWhiteMask(width: number, height: number): Promise<Buffer> {
  const square = await sharp({ create: { width: Math.floor(width / 2), height: Math.floor(height / 2), channels: 3, background: '#000' } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#fff' } })
    .composite([{ input: square, left: Math.floor(width / 4), top: Math.floor(height / 4) }])
    .png()
    .toBuffer();
}

/** Awaits a rejection and returns the error, failing the test if the promise resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const signal = () => new AbortController().signal;
