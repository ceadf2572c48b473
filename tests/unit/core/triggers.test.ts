import { HUB_EVENTS, documentOf } from '../../../server/src/triggers/document-middleware';
import { isPluginWrite, runAsPluginWrite } from '../../../server/src/triggers/plugin-writes';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('triggers/document-middleware', () => {
  describe('documentOf', () => {
    it.each([
      ['an entry with a locale', { id: 1, documentId: 'doc1', locale: 'en', title: 'x' }, { documentId: 'doc1', locale: 'en' }],
      ['an entry of a type without i18n', { id: 2, documentId: 'doc2', locale: null }, { documentId: 'doc2', locale: null }],
      ['an entry with no locale key', { documentId: 'doc3' }, { documentId: 'doc3', locale: null }],
      ['an entry without a documentId', { id: 4, locale: 'en' }, null],
      ['an entry with an empty documentId', { documentId: '', locale: 'en' }, null],
      ['an entry with a non-string documentId', { documentId: 5, locale: 'en' }, null],
      ['a null entry', null, null],
      ['an undefined entry', undefined, null],
    ])('reads %s', (_label, entry, expected) => {
      expect(documentOf(entry)).toEqual(expected);
    });
  });

  describe('HUB_EVENTS', () => {
    it('maps the three entry events Strapi emits after commit to rule events', () => {
      expect(HUB_EVENTS).toEqual({ 'entry.create': 'create', 'entry.update': 'update', 'entry.publish': 'publish' });
    });
  });
});

describe('triggers/plugin-writes', () => {
  describe('isPluginWrite', () => {
    it('is false outside runAsPluginWrite', () => {
      expect(isPluginWrite()).toBe(false);
    });

    it('is true inside runAsPluginWrite, before and after awaits, and false again afterwards', async () => {
      const seen: boolean[] = [];
      const result = await runAsPluginWrite(async () => {
        seen.push(isPluginWrite());
        await tick();
        seen.push(isPluginWrite());
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(isPluginWrite());
        await Promise.all([tick().then(() => seen.push(isPluginWrite()))]);
        return 'done';
      });
      expect(result).toBe('done');
      expect(seen).toEqual([true, true, true, true]);
      expect(isPluginWrite()).toBe(false);
    });

    it('does not leak into work running concurrently outside it', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const inside = runAsPluginWrite(async () => {
        await gate;
        return isPluginWrite();
      });
      const outside = (async () => {
        await tick();
        const value = isPluginWrite();
        release();
        return value;
      })();
      expect(await Promise.all([inside, outside])).toEqual([true, false]);
    });

    it('passes a rejection through and resets afterwards', async () => {
      await expect(
        runAsPluginWrite(async () => {
          await tick();
          throw new Error('write failed');
        })
      ).rejects.toThrow('write failed');
      expect(isPluginWrite()).toBe(false);
    });
  });
});
