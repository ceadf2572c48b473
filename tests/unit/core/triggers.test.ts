import { touchedDocuments } from '../../../server/src/triggers/document-middleware';
import { isPluginWrite, runAsPluginWrite } from '../../../server/src/triggers/plugin-writes';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('triggers/document-middleware', () => {
  describe('touchedDocuments', () => {
    it.each([
      [
        'a publish of several locales',
        'publish',
        { documentId: 'doc1', entries: [{ id: 1, documentId: 'doc1', locale: 'en' }, { id: 2, documentId: 'doc1', locale: 'fr' }] },
        [{ documentId: 'doc1', locale: 'en' }, { documentId: 'doc1', locale: 'fr' }],
      ],
      [
        'a publish listing a locale twice',
        'publish',
        { entries: [{ documentId: 'doc1', locale: 'en' }, { documentId: 'doc1', locale: 'en' }, { documentId: 'doc2', locale: 'en' }] },
        [{ documentId: 'doc1', locale: 'en' }, { documentId: 'doc2', locale: 'en' }],
      ],
      ['a publish of a type without i18n', 'publish', { entries: [{ documentId: 'doc1' }] }, [{ documentId: 'doc1', locale: null }]],
      ['a publish with no entries', 'publish', { entries: [] }, []],
      ['a publish without an entries list', 'publish', { documentId: 'doc1' }, []],
      ['a publish with a null result', 'publish', null, []],
      ['a publish with broken rows', 'publish', { entries: [null, {}, { locale: 'en' }, { documentId: 'doc3', locale: 'de' }] }, [{ documentId: 'doc3', locale: 'de' }]],
      ['a create', 'create', { id: 5, documentId: 'doc5', locale: 'en', title: 'x' }, [{ documentId: 'doc5', locale: 'en' }]],
      ['an update without a locale', 'update', { id: 5, documentId: 'doc5', locale: null }, [{ documentId: 'doc5', locale: null }]],
      ['an update with no locale key', 'update', { documentId: 'doc5' }, [{ documentId: 'doc5', locale: null }]],
      ['an update with a null result', 'update', null, []],
      ['a create with an undefined result', 'create', undefined, []],
    ])('reads %s', (_label, action, result, expected) => {
      expect(touchedDocuments(action, result)).toEqual(expected);
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
