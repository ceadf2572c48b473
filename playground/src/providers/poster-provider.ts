/**
 * An example custom provider: renders a flat "poster" (solid colour + the prompt as text) with sharp.
 * It shows the whole contract a host app implements; the README copies it. Register it in `register()`.
 */
import sharp from 'sharp';
import { z } from 'zod';
import type { ProviderType } from 'strapi-plugin-ai-assets/strapi-server';

const optionsSchema = z.object({ color: z.string().regex(/^#[0-9a-f]{6}$/i).default('#1d3557') }).strict();
const paramsSchema = z.object({ width: z.number().int().min(16).max(2048).default(512), height: z.number().int().min(16).max(2048).default(512) }).strict();

export const posterProvider: ProviderType = {
  type: 'poster',
  optionsSchema,
  create({ name, options }) {
    const { color } = optionsSchema.parse(options);
    const render = async (prompt: string, params: Record<string, unknown>, signal: AbortSignal) => {
      const { width, height } = paramsSchema.parse(params);
      signal.throwIfAborted();
      const text = prompt.replace(/[<>&"']/g, ' ').slice(0, 80);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${color}"/><text x="24" y="${height / 2}" font-size="${Math.round(width / 20)}" fill="#fff">${text}</text></svg>`;
      return { images: [{ data: await sharp(Buffer.from(svg)).png().toBuffer(), mime: 'image/png', width, height }], model: 'poster-1', costUsd: 0 };
    };
    return {
      name,
      type: 'poster',
      model: 'poster-1',
      capabilities: { generate: true, edit: false, mask: false, maxImages: 1, sizes: ['16..2048 per edge'], formats: ['png'], transparentBackground: false },
      paramsSchema,
      generate: (request, { signal }) => render(request.prompt, request.params, signal),
      edit: async () => {
        throw new Error('poster cannot edit images');
      },
      describe: () => ({ configured: true }),
    };
  },
};
