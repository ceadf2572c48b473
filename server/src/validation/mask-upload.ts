/**
 * Edit masks arrive as a multipart file (`mask`), so the documented 4 MB limit is the real one: Strapi's
 * 1 MB JSON body limit stopped data-URL masks above ~750 KB. A data URL in a JSON body is still accepted
 * for small masks and scripts. The file is size-checked before it is read and its temp copy removed.
 */
import { readFile, rm } from 'node:fs/promises';
import type { Context } from 'koa';
import { errors } from '@strapi/utils';
import { ImageRejectedError, readImageInfo } from '../media/decode';

export const MAX_MASK_BYTES = 4 * 1024 * 1024;

type UploadedFile = { filepath?: string; path?: string; size?: number };
type MultipartRequest = { body?: unknown; files?: Record<string, UploadedFile | UploadedFile[] | undefined> };

const refuse = (message: string) => new errors.ValidationError(`body.mask: ${message}`, { errors: [{ path: ['mask'], message }] });

async function removeUploads(files: MultipartRequest['files']): Promise<void> {
  const all = Object.values(files ?? {}).flatMap((file) => (Array.isArray(file) ? file : file ? [file] : []));
  await Promise.all(all.map((file) => (file.filepath ?? file.path ? rm((file.filepath ?? file.path) as string, { force: true }) : undefined)));
}

/** The edit request's fields, with an uploaded `mask` file read into a Buffer. Other files are refused. */
export async function editRequestInput(ctx: Context): Promise<Record<string, unknown>> {
  const request = (ctx as unknown as { request: MultipartRequest }).request;
  const fields = (request.body && typeof request.body === 'object' ? { ...(request.body as Record<string, unknown>) } : {}) as Record<string, unknown>;
  const files = request.files;
  if (!files || Object.keys(files).length === 0) return fields;
  try {
    const names = Object.keys(files);
    if (names.some((name) => name !== 'mask')) throw refuse(`only one file, named "mask", may be uploaded (got ${names.map((name) => `"${name.slice(0, 40)}"`).join(', ')})`);
    const mask = files.mask;
    if (Array.isArray(mask)) throw refuse('send one mask file, not several');
    if (!mask || !(mask.filepath ?? mask.path)) throw refuse('the uploaded file is missing');
    if ((mask.size ?? 0) > MAX_MASK_BYTES) throw refuse('must be at most 4 MB');
    if ('mask' in fields) throw refuse('send the mask either as a file or as a data URL, not both');
    return { ...fields, mask: await readFile((mask.filepath ?? mask.path) as string) };
  } finally {
    await removeUploads(files);
  }
}

/** Reads the mask's header: a mask over the pixel limit or not an image is refused with a 400 now, not as a failed job. */
export async function checkMaskImage(mask: Buffer | undefined): Promise<void> {
  if (!mask) return;
  try {
    const info = await readImageInfo(mask, 'mask');
    if (info.format !== 'png') throw refuse('must be a PNG');
  } catch (error) {
    if (error instanceof ImageRejectedError) throw refuse(error.message);
    throw error;
  }
}
