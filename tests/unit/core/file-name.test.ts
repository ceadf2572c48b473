import { resultFileName, slugify } from '../../../server/src/media/file-name';

describe('media/file-name', () => {
  describe('slugify', () => {
    it.each([
      ['Hello World', 'hello-world'],
      ['Héllo Wörld, Ça va?', 'hello-world-ca-va'],
      ['  --Spring__Issue--  ', 'spring-issue'],
      ['10 Tips & Tricks!!!', '10-tips-tricks'],
      ['../../etc/passwd', 'etc-passwd'],
      ['日本語のタイトル', ''],
      ['🎉🎉', ''],
      ['', ''],
    ])('turns %j into %j', (text, expected) => {
      expect(slugify(text)).toBe(expected);
    });

    it.each([
      ['a'.repeat(70), 60, 'a'.repeat(60)],
      ['abc def', 4, 'abc'],
      ['abc def ghi', 8, 'abc-def'],
      ['abcdef', 3, 'abc'],
    ])('cuts %j to at most %i characters without a trailing dash', (text, maxLength, expected) => {
      expect(slugify(text, maxLength)).toBe(expected);
    });
  });

  describe('resultFileName', () => {
    const hash = '0123456789abcdef0123456789abcdef';
    it.each([
      ['article-cover', 'My First Post', 'webp', 'article-cover-my-first-post-01234567.webp'],
      ['article-cover', null, 'png', 'article-cover-entry-01234567.png'],
      ['article-cover', undefined, 'png', 'article-cover-entry-01234567.png'],
      ['article-cover', '日本', 'jpg', 'article-cover-entry-01234567.jpg'],
      ['thumb', '  ', 'avif', 'thumb-entry-01234567.avif'],
    ])('names the file for rule %s and label %j', (ruleId, label, extension, expected) => {
      expect(resultFileName(ruleId, label, hash, extension)).toBe(expected);
    });

    it('keeps long labels to 60 slug characters', () => {
      const name = resultFileName('r', 'word '.repeat(40), hash, 'webp');
      const slug = name.slice('r-'.length, -'-01234567.webp'.length);
      expect(slug.length).toBeLessThanOrEqual(60);
      expect(slug).toMatch(/^word(-word)*$/);
    });
  });
});
