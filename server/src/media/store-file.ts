/**
 * Stores files we already encoded in the Media Library without Strapi's upload pipeline re-processing them.
 *
 * `upload.upload()` would decode our file again, re-encode it at its own fixed quality when the app's
 * "size optimization" is on (a second lossy encode that overrides the rule's quality and drops our XMP) and decode
 * it again for each responsive format. Instead we ask the upload plugin for the file row's names
 * (`formatFileInfo`), hand our bytes to the configured upload provider (local disk, S3, Cloudinary...) for the
 * original and each format, create the row and emit the same `media.create` event (and so webhook) an upload does.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { sanitize } from '@strapi/utils';
import type { LibraryFile } from './library';
import type { EncodedImage, FormatSize } from './renditions';

const FILE_UID = 'plugin::upload.file';
/** Strapi's own thumbnail box and default breakpoints (`plugin::upload.breakpoints` overrides them). */
const THUMBNAIL: FormatSize = { key: 'thumbnail', width: 245, height: 156 };
const DEFAULT_BREAKPOINTS: Record<string, number> = { large: 1000, medium: 750, small: 500 };

export interface StoreImageInput {
  original: EncodedImage;
  formats: Array<{ key: string; image: EncodedImage }>;
  name: string;
  alternativeText?: string;
  caption?: string;
  folderId?: number | null;
  /** Merged into the row's `provider_metadata` (next to whatever the upload provider records there). */
  providerMetadata?: Record<string, unknown>;
  /**
   * Makes the storage key (Strapi's `hash`, which names the object on disk or in the bucket) a function of this
   * string instead of random, so storing the same thing again writes over the same objects. A resumed job whose
   * crashed attempt wrote its objects but never created the row then leaves nothing behind.
   */
  storageKey?: string;
}

type UploadFileObject = Record<string, unknown> & { getStream(): Readable; url?: string; provider_metadata?: Record<string, unknown> | null };

const bytesToKbytes = (bytes: number) => Math.round((bytes / 1000) * 100) / 100;

export const createFileStore = ({ strapi }: { strapi: Core.Strapi }) => {
  const uploadPlugin = () => strapi.plugin('upload');

  function fileObject(base: Record<string, unknown>, image: EncodedImage): UploadFileObject {
    return {
      ...base,
      mime: image.mime,
      width: image.width,
      height: image.height,
      size: bytesToKbytes(image.data.length),
      sizeInBytes: image.data.length,
      getStream: () => Readable.from(image.data),
    };
  }

  /** Drops the transfer-only keys the provider needed (stream factory, temp paths) before the row is written. */
  function persistable(file: UploadFileObject): Record<string, unknown> {
    const { getStream: _getStream, stream: _stream, buffer: _buffer, filepath: _filepath, tmpWorkingDirectory: _tmp, ...row } = file;
    return row;
  }

  /** Strapi's hash is `<name slug>_<10 random hex>`; the suffix becomes a digest of `key`. */
  function derivedHash(randomHash: string, key: string): string {
    const cut = randomHash.lastIndexOf('_');
    const slug = cut > 0 ? randomHash.slice(0, cut) : randomHash;
    return `${slug}_${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
  }

  return {
    /** The formats the app wants: the admin thumbnail always (as Strapi), the breakpoints when "responsive dimensions" is on. */
    async formatSizes(): Promise<FormatSize[]> {
      const settings = ((await uploadPlugin().service('upload').getSettings()) ?? {}) as { responsiveDimensions?: boolean };
      if (!settings.responsiveDimensions) return [THUMBNAIL];
      const breakpoints = strapi.config.get('plugin::upload.breakpoints', DEFAULT_BREAKPOINTS) as Record<string, number>;
      return [THUMBNAIL, ...Object.entries(breakpoints).map(([key, size]) => ({ key, width: size, height: size }))];
    },

    async store(input: StoreImageInput): Promise<LibraryFile> {
      const uploadService = uploadPlugin().service('upload');
      const providerService = uploadPlugin().service('provider');
      const entity = (await uploadService.formatFileInfo(
        { filename: input.name, type: input.original.mime, size: input.original.data.length },
        { name: input.name, alternativeText: input.alternativeText, caption: input.caption, folder: input.folderId ?? undefined }
      )) as Record<string, unknown> & { name: string; hash: string; ext: string };
      if (input.storageKey !== undefined) entity.hash = derivedHash(entity.hash, input.storageKey);

      const original = fileObject(entity, input.original);
      await providerService.checkFileSize(original);
      const formats = input.formats.map(({ key, image }) => ({
        key,
        file: fileObject({ name: `${key}_${entity.name}`, hash: `${key}_${entity.hash}`, ext: entity.ext, path: entity.path ?? null }, image),
      }));
      // Same concurrency as Strapi's uploadImage: the original and its formats in one Promise.all.
      await Promise.all([providerService.upload(original), ...formats.map(({ file }) => providerService.upload(file))]);

      const config = strapi.config.get('plugin::upload') as { provider: string };
      const row = {
        ...persistable(original),
        formats: formats.length ? Object.fromEntries(formats.map(({ key, file }) => [key, persistable(file)])) : null,
        provider: config.provider,
        provider_metadata: { ...(original.provider_metadata ?? {}), ...input.providerMetadata },
      };
      const created = (await strapi.db.query(FILE_UID).create({ data: row })) as LibraryFile;

      const media = await sanitize.sanitizers.defaultSanitizeOutput(
        { schema: strapi.getModel(FILE_UID), getModel: (uid: string) => strapi.getModel(uid as never) } as never,
        created as never
      );
      strapi.eventHub.emit('media.create', { media });
      return created;
    },
  };
};

export type FileStore = ReturnType<typeof createFileStore>;
