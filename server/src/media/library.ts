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
  folderId?: number | null;
}

const FOLDER_CREATE_ROUNDS = 5;
/** How long a new folder's creator waits before looking for an older twin whose commit had not landed. */
const FOLDER_SETTLE_MS = 300;

export const createMediaLibrary = ({ strapi }: { strapi: Core.Strapi }) => {
  const folders = () => strapi.db.query(FOLDER_UID);

  /** The oldest folder with this name under this parent: every instance converges on the same one. */
  async function findFolder(name: string, parentId: number | null): Promise<{ id: number } | null> {
    return (await folders().findOne({
      where: { name, parent: parentId === null ? { id: { $null: true } } : { id: parentId } },
      orderBy: { id: 'asc' },
    })) as { id: number } | null;
  }

  /** Removes a twin this instance just made, unless something was already put in it; returns the folder to use. */
  async function yieldTo(oldestId: number, createdId: number): Promise<number> {
    const used = await strapi.db.query(FILE_UID).count({ where: { folder: { id: createdId } } });
    if (used === 0) await folders().delete({ where: { id: createdId } });
    return oldestId;
  }

  /**
   * Create-or-find across instances. Two instances creating at once either collide on the upload plugin's
   * unique folder path (the loser finds the winner on the next round) or both succeed with twins: then the
   * younger twin is removed by its creator, before anything is put in it. Ids are handed out before commits
   * land (InnoDB's auto-increment), so the creator of the younger twin may not see the older one yet: it looks
   * again once the other transaction has had time to commit.
   */
  async function findOrCreateFolder(name: string, parentId: number | null): Promise<number> {
    for (let round = 1; ; round += 1) {
      const existing = await findFolder(name, parentId);
      if (existing) return existing.id;
      try {
        const created = (await strapi.plugin('upload').service('folder').create({ name, parent: parentId })) as { id: number };
        let oldest = await findFolder(name, parentId);
        if (oldest && oldest.id !== created.id) return yieldTo(oldest.id, created.id);
        await new Promise((resolve) => setTimeout(resolve, FOLDER_SETTLE_MS));
        oldest = await findFolder(name, parentId);
        if (oldest && oldest.id !== created.id) return yieldTo(oldest.id, created.id);
        return created.id;
      } catch (error) {
        if (round >= FOLDER_CREATE_ROUNDS) throw error;
      }
    }
  }

  return {
    /** Finds or creates the nested folder "A/B/C"; returns its id (null for the root). */
    async ensureFolder(folderPath: string): Promise<number | null> {
      let parentId: number | null = null;
      for (const name of folderPath.split('/').map((part) => part.trim()).filter(Boolean)) parentId = await findOrCreateFolder(name, parentId);
      return parentId;
    },

    /**
     * A file uploaded under `name` into `folderId` since `since` that no job has recorded yet: the upload of
     * an attempt that crashed before saving the file id, reused instead of left behind.
     */
    async findUnrecordedUpload(name: string, folderId: number | null, since: Date, isRecorded: (fileId: number) => Promise<boolean>): Promise<LibraryFile | null> {
      const candidates = (await strapi.db.query(FILE_UID).findMany({
        where: { name, folder: folderId === null ? { id: { $null: true } } : { id: folderId }, createdAt: { $gte: since } },
        orderBy: { id: 'asc' },
      })) as LibraryFile[];
      for (const file of candidates) if (!(await isRecorded(file.id))) return file;
      return null;
    },

    async upload(input: UploadInput): Promise<LibraryFile> {
      const folderId = input.folderId ?? null;
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
