/** The Media Library side: folders by path, uploads through Strapi's upload service, reading file bytes. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { NonRetryableError } from '../providers/errors';
import { downloadToBuffer } from '../http/download';

const FOLDER_UID = 'plugin::upload.folder';
const FILE_UID = 'plugin::upload.file';

export interface LibraryFile {
  id: number;
  name: string;
  url: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  hash: string;
  alternativeText: string | null;
  caption: string | null;
  folder?: { id: number; name: string; path: string } | null;
  formats?: Record<string, { url: string; width: number; height: number }> | null;
  provider: string;
}

export interface UploadInput {
  data: Buffer;
  name: string;
  mime: string;
  alternativeText?: string;
  caption?: string;
  folderPath?: string;
}

export const createMediaLibrary = ({ strapi }: { strapi: Core.Strapi }) => {
  // One folder creation at a time in this process, so two jobs finishing together don't create twins.
  let folderLock: Promise<unknown> = Promise.resolve();

  async function ensureFolderUnlocked(folderPath: string): Promise<number | null> {
    const names = folderPath.split('/').map((part) => part.trim()).filter(Boolean);
    let parentId: number | null = null;
    for (const name of names) {
      const existing = (await strapi.db.query(FOLDER_UID).findOne({
        where: { name, parent: parentId === null ? { id: { $null: true } } : { id: parentId } },
      })) as { id: number } | null;
      if (existing) {
        parentId = existing.id;
        continue;
      }
      const created = (await strapi.plugin('upload').service('folder').create({ name, parent: parentId })) as { id: number };
      parentId = created.id;
    }
    return parentId;
  }

  return {
    /** Finds or creates the nested folder "A/B/C"; returns its id (null for the root). */
    ensureFolder(folderPath: string): Promise<number | null> {
      const run = folderLock.then(() => ensureFolderUnlocked(folderPath));
      folderLock = run.catch(() => undefined);
      return run;
    },

    async upload(input: UploadInput): Promise<LibraryFile> {
      const folderId = input.folderPath ? await this.ensureFolder(input.folderPath) : null;
      // The upload service reads from disk (formidable-like file objects).
      const directory = await mkdtemp(path.join(tmpdir(), 'ai-assets-'));
      const filepath = path.join(directory, input.name);
      try {
        await writeFile(filepath, input.data);
        const [file] = (await strapi.plugin('upload').service('upload').upload({
          data: {
            fileInfo: { name: input.name, alternativeText: input.alternativeText, caption: input.caption, folder: folderId ?? undefined },
          },
          files: { filepath, originalFilename: input.name, mimetype: input.mime, size: input.data.length },
        })) as LibraryFile[];
        return file;
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },

    async findFile(id: number): Promise<LibraryFile | null> {
      return (await strapi.db.query(FILE_UID).findOne({ where: { id }, populate: ['folder'] })) as LibraryFile | null;
    },

    async removeFile(id: number): Promise<void> {
      const file = await this.findFile(id);
      if (file) await strapi.plugin('upload').service('upload').remove(file);
    },

    /** The bytes of a Media Library file, for edits. Local uploads are read from disk. */
    async readFile(file: LibraryFile): Promise<Buffer> {
      if (file.url.startsWith('/')) {
        const publicDir = strapi.dirs.static.public;
        const resolved = path.resolve(publicDir, `.${file.url.split('?')[0]}`);
        if (!resolved.startsWith(path.resolve(publicDir) + path.sep)) {
          throw new NonRetryableError('invalid_source', 'The source image path is outside the public folder.');
        }
        return readFile(resolved);
      }
      // Files on a cloud upload provider: fetched with the same safety caps as provider downloads.
      return downloadToBuffer(file.url, { maxBytes: 50 * 1024 * 1024, timeoutMs: 60_000, allowHosts: [new URL(file.url).hostname] });
    },
  };
};

export type MediaLibrary = ReturnType<typeof createMediaLibrary>;
