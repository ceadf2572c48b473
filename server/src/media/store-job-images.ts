/**
 * The media half of a job: provider bytes -> every rendition and its formats (one decode) -> Media Library files
 * carrying the job's provenance (XMP in the bytes, `provider_metadata.aiAssets` on the row).
 */
import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Job, JobResult, RenditionResult } from '../queue/types';
import { throwIfAborted } from '../utils/abort';
import { resultFileName } from './file-name';
import type { LibraryFile, MediaLibrary } from './library';
import { hasC2paManifest, provenanceFor, provenanceXmp, type StoredProvenance } from './provenance';
import { planRenditions, primaryIndex } from './rendition-plan';
import { produceRenditions } from './renditions';
import { createFileStore } from './store-file';

/** The first entry is the job's result (its `renditions` lists every file when the rule has named renditions). */
export interface StoredRendition {
  file: LibraryFile;
  result: JobResult;
}

export interface StoreJobImagesInput {
  job: Job;
  image: Buffer;
  /** The model the provider reported for this call. */
  model: string | null;
  folderId: number | null;
  /** The position of this image among the job's candidates (named into its files), null when the job has one image. */
  candidate?: number | null;
  /** Checked once the files are made, before anything is stored. */
  signal: AbortSignal;
  /** Runs `store` unless an interrupted attempt of the job already stored a file under `name` (then returns it). */
  storeOnce(name: string, store: () => Promise<LibraryFile>): Promise<LibraryFile>;
}

export const createJobImageStore = ({ strapi, library }: { strapi: Core.Strapi; library: MediaLibrary }) => {
  const fileStore = createFileStore({ strapi });

  return {
    async store({ job, image, model, folderId, signal, storeOnce, candidate = null }: StoreJobImagesInput): Promise<StoredRendition[]> {
      const plan = planRenditions(job.output, job.targetField);
      const provenance = provenanceFor(job, model);
      const c2paManifestInSource = hasC2paManifest(image);
      const produced = await produceRenditions(image, plan.map((rendition) => rendition.spec), { xmp: provenanceXmp(provenance), formatSizes: await fileStore.formatSizes() });
      throwIfAborted(signal);
      // Same job, same paid image, same file name -> same storage objects: a resumed attempt overwrites what a
      // crashed one wrote before its row existed. A re-paid image (different bytes) gets new objects.
      const paidDigest = createHash('sha256').update(image).digest('hex');

      const stored: StoredRendition[] = [];
      try {
        for (const [index, rendition] of produced.entries()) {
          const { name } = plan[index];
          const facts: StoredProvenance = { ...provenance, aiGenerated: true, providerBytesKept: rendition.providerBytesKept, c2paManifestInSource };
          const { original } = rendition;
          const base = candidate === null ? job.rule : `${job.rule}-${candidate + 1}`;
          const fileName = resultFileName(name ? `${base}-${name}` : base, job.entryTitle, job.inputHash, original.extension);
          const file = await storeOnce(fileName, () =>
            fileStore.store({
              original,
              formats: rendition.formats,
              name: fileName,
              alternativeText: job.altText ?? undefined,
              caption: job.caption ?? undefined,
              folderId,
              providerMetadata: { aiAssets: facts },
              storageKey: `${job.documentId ?? job.id}:${paidDigest}:${fileName}`,
            })
          );
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
      if (plan.length === 1) return stored;
      // Named renditions: the job's result is the file for the rule's target and lists them all.
      const renditions: RenditionResult[] = stored.map(({ result }, index) => ({
        name: plan[index].name as string,
        target: plan[index].target,
        fileId: result.fileId,
        url: result.url,
        mime: result.mime,
        width: result.width,
        height: result.height,
        size: result.size,
      }));
      const primary = primaryIndex(plan, job.targetField);
      return [{ file: stored[primary].file, result: { ...stored[primary].result, renditions } }, ...stored.filter((_, index) => index !== primary)];
    },
  };
};
