import { canonicalJson, inputHash, sha256, type HashInputs } from '../../../server/src/queue/hash';

const inputs: HashInputs = {
  ruleId: 'article-cover',
  contentType: 'api::article.article',
  documentId: 'doc1',
  locale: 'en',
  operation: 'edit',
  provider: 'local',
  prompt: 'A cover for Spring',
  params: { size: '1024x1024', seed: 1 },
  output: { format: 'webp', quality: 82, fit: 'cover' },
  sourceFile: { id: 7, hash: 'abc' },
  parentJobId: 3,
  maskHash: 'mask1',
};

describe('queue/hash', () => {
  describe('canonicalJson', () => {
    it('serialises objects alike whatever their key order, at every level', () => {
      const a = { b: 1, a: { y: [1, { q: 1, p: 2 }], x: null }, c: 'c' };
      const b = { c: 'c', a: { x: null, y: [1, { p: 2, q: 1 }] }, b: 1 };
      expect(canonicalJson(a)).toBe(canonicalJson(b));
      expect(canonicalJson(a)).toBe('{"a":{"x":null,"y":[1,{"p":2,"q":1}]},"b":1,"c":"c"}');
    });

    it.each([
      ['array order', [1, 2], [2, 1]],
      ['nested values', { a: { b: 1 } }, { a: { b: 2 } }],
      ['null and a missing key', { a: null }, {}],
      ['a number and a string', { a: 1 }, { a: '1' }],
    ])('keeps %s significant', (_label, a, b) => {
      expect(canonicalJson(a)).not.toBe(canonicalJson(b));
    });

    it('serialises dates as ISO strings', () => {
      expect(canonicalJson({ at: new Date('2025-01-02T00:00:00.000Z') })).toBe('{"at":"2025-01-02T00:00:00.000Z"}');
    });
  });

  describe('inputHash', () => {
    it('is a 64-character hex sha256 and stable for the same inputs', () => {
      expect(inputHash(inputs)).toMatch(/^[0-9a-f]{64}$/);
      expect(inputHash({ ...inputs })).toBe(inputHash(inputs));
    });

    it('ignores the key order of the inputs and their params', () => {
      const reordered = Object.fromEntries(Object.entries({ ...inputs, params: { seed: 1, size: '1024x1024' } }).reverse()) as unknown as HashInputs;
      expect(inputHash(reordered)).toBe(inputHash(inputs));
    });

    it.each<[string, Partial<HashInputs>]>([
      ['ruleId', { ruleId: 'article-thumb' }],
      ['contentType', { contentType: 'api::page.page' }],
      ['documentId', { documentId: 'doc2' }],
      ['locale', { locale: 'fr' }],
      ['locale to null', { locale: null }],
      ['operation', { operation: 'generate' }],
      ['provider', { provider: 'studio' }],
      ['prompt', { prompt: 'A cover for Summer' }],
      ['prompt whitespace', { prompt: 'A cover for Spring ' }],
      ['a param value', { params: { size: '1024x1024', seed: 2 } }],
      ['an added param', { params: { size: '1024x1024', seed: 1, quality: 'high' } }],
      ['output format', { output: { format: 'png', quality: 82, fit: 'cover' } }],
      ['output quality', { output: { format: 'webp', quality: 81, fit: 'cover' } }],
      ['source file id', { sourceFile: { id: 8, hash: 'abc' } }],
      ['source file content hash', { sourceFile: { id: 7, hash: 'abd' } }],
      ['no source file', { sourceFile: null }],
      ['parent job', { parentJobId: 4 }],
      ['mask', { maskHash: 'mask2' }],
    ])('changes when %s changes', (_label, change) => {
      expect(inputHash({ ...inputs, ...change })).not.toBe(inputHash(inputs));
    });
  });

  describe('sha256', () => {
    it.each([
      ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ])('hashes %j to the known digest, as a string or a buffer', (text, digest) => {
      expect(sha256(text)).toBe(digest);
      expect(sha256(Buffer.from(text))).toBe(digest);
    });
  });
});
