import { HUB_EVENTS, documentOf, outcomeOf } from '../../../server/src/triggers/document-middleware';
import { outcomeKey } from '../../../server/src/triggers/outcome-store';
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

  describe('outcomeOf', () => {
    const job = { id: 7 } as never;
    it.each([
      ['a new job', { job, deduplicated: false }, { outcome: 'queued', jobId: 7, reason: null }],
      ['an active job with the same inputs', { job, deduplicated: true }, { outcome: 'duplicate', jobId: 7, reason: null }],
      ['the onlyIfEmpty skip', { skipped: '"cover" already has a file', code: 'has_file' }, { outcome: 'target_set', jobId: null, reason: '"cover" already has a file' }],
      ['the locale filter', { skipped: 'locale fr is not in the rule\'s locales', code: 'locale' }, { outcome: 'locale_filtered', jobId: null, reason: "locale fr is not in the rule's locales" }],
      ['an edit without source image', { skipped: '"photo" has no image to edit', code: 'no_source' }, { outcome: 'no_source', jobId: null, reason: '"photo" has no image to edit' }],
      ['a plan error', { skipped: 'prompt renders empty', code: 'plan_error' }, { outcome: 'not_planned', jobId: null, reason: 'prompt renders empty' }],
    ])('names %s', (_label, planned, expected) => {
      expect(outcomeOf(planned as never)).toEqual(expected);
    });
  });

  describe('outcomeKey', () => {
    const base = { rule: 'cover', contentType: 'api::article.article', documentId: 'doc1', locale: 'en' };
    it('is the same for the same rule, content type, document and locale', () => {
      expect(outcomeKey({ ...base })).toBe(outcomeKey(base));
    });
    it.each([['rule', { rule: 'photo' }], ['content type', { contentType: 'api::page.page' }], ['document', { documentId: 'doc2' }], ['locale', { locale: 'fr' }], ['missing locale', { locale: null }]])(
      'differs by %s',
      (_label, change) => {
        expect(outcomeKey({ ...base, ...change })).not.toBe(outcomeKey(base));
      }
    );
    it('cannot be forged by moving text between parts', () => {
      expect(outcomeKey({ ...base, rule: 'a', contentType: 'b|c' })).not.toBe(outcomeKey({ ...base, rule: 'a|b', contentType: 'c' }));
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
