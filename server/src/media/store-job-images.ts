/**
 * The media half of a job: provider bytes -> every rendition and its formats (one decode) -> Media Library files
 * carrying the job's provenance (XMP in the bytes, `provider_metadata.aiAssets` on the row).
 */
import type { Core } from '@strapi/strapi';
import type { OutputSpec } from '../config/schema';
import { outputSchema } from '../config/schema';
import type { Job, JobResult } from '../queue/types';
import { throwIfAborted } from '../utils/abort';
import { resultFileName } from './file-name';
import type { LibraryFile, MediaLibrary } from './library';
import { hasC2paManifest, provenanceFor, provenanceXmp, type StoredProvenance } from './provenance';
import { produceRenditions } from './renditions';
import { createFileStore } from './store-file';

export interface StoredRendition {
  file: LibraryFile;
  result: JobResult;
}

export interface StoreJobImagesInput {
  job: Job;
  image: Buffer;
  /** The model the provider reported for this call. */
  model: string | null;
  /** Checked once the files are made, before anything is stored. */
  signal: AbortSignal;
}

export const createJobImageStore = ({ strapi, library }: { strapi: Core.Strapi; library: MediaLibrary }) => {
  const fileStore = createFileStore({ strapi });

  return {
    async store({ job, image, model, signal }: StoreJobImagesInput): Promise<StoredRendition[]> {
      const spec: OutputSpec = outputSchema.parse(job.output ?? {});
      const provenance = provenanceFor(job, model);
      const c2paManifestInSource = hasC2paManifest(image);
      const produced = await produceRenditions(image, [spec], { xmp: provenanceXmp(provenance), formatSizes: await fileStore.formatSizes() });
      throwIfAborted(signal);
      const folderId = job.folder ? await library.ensureFolder(job.folder) : null;

      const stored: StoredRendition[] = [];
      try {
        for (const rendition of produced) {
          const facts: StoredProvenance = { ...provenance, aiGenerated: true, providerBytesKept: rendition.providerBytesKept, c2paManifestInSource };
          const { original } = rendition;
          const file = await fileStore.store({
            original,
            formats: rendition.formats,
            name: resultFileName(job.rule, job.entryTitle, job.inputHash, original.extension),
            alternativeText: job.altText ?? undefined,
            caption: job.caption ?? undefined,
            folderId,
            providerMetadata: { aiAssets: facts },
          });
          stored.push({
            file,
            result: { fileId: file.id, url: file.url, mime: original.mime, width: original.width, height: original.height, size: original.size, name: file.name, provenance: facts },
          });
        }
      } catch (error) {
        // A half-stored set would be paid for and never attached: remove what we stored before failing.
        await Promise.all(stored.map(({ file }) => library.removeFile(file.id).catch(() => undefined)));
        throw error;
      }
      return stored;
    },
  };
};
