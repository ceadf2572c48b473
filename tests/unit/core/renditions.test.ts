import sharp from 'sharp';
import { outputSchema, parsePluginConfig } from '../../../server/src/config/schema';
import { attachmentsOf, planRenditions, primaryIndex } from '../../../server/src/media/rendition-plan';
import { produceRenditions } from '../../../server/src/media/renditions';
import { COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA, hasC2paManifest, provenanceFor, provenanceXmp, TRAINED_ALGORITHMIC_MEDIA } from '../../../server/src/media/provenance';
import { twoTonePng } from '../../fixtures/images';

const spec = (value: Record<string, unknown>) => outputSchema.parse(value);

describe('media/rendition-plan', () => {
  describe('planRenditions', () => {
    it('turns a single output spec into one rendition for the rule target', () => {
      expect(planRenditions({ format: 'png' }, 'cover')).toEqual([{ name: null, target: 'cover', spec: spec({ format: 'png' }) }]);
    });

    it.each([
      [[{ name: 'a' }, { name: 'b' }], ['cover', null]],
      [[{ name: 'a', target: 'og' }, { name: 'b' }], ['og', 'cover']],
      [[{ name: 'a' }, { name: 'b', target: 'cover' }], [null, 'cover']],
      [[{ name: 'a', target: 'og' }, { name: 'b', target: 'thumb' }], ['og', 'thumb']],
    ])('gives %j the targets %j', (output, targets) => {
      expect(planRenditions(output, 'cover').map((rendition) => rendition.target)).toEqual(targets);
    });

    it('picks the rendition for the rule target as the primary one', () => {
      const plan = planRenditions([{ name: 'a', target: 'og' }, { name: 'b' }], 'cover');
      expect(primaryIndex(plan, 'cover')).toBe(1);
      expect(primaryIndex(planRenditions([{ name: 'a', target: 'og' }], 'cover'), 'cover')).toBe(0);
    });
  });

  describe('attachmentsOf', () => {
    it('attaches every targeted rendition, or the one result', () => {
      expect(attachmentsOf({ fileId: 7 }, 'cover')).toEqual([{ field: 'cover', fileId: 7 }]);
      const renditions = [
        { name: 'a', target: 'og', fileId: 1, url: '', mime: '', width: 1, height: 1, size: 1 },
        { name: 'b', target: null, fileId: 2, url: '', mime: '', width: 1, height: 1, size: 1 },
      ];
      expect(attachmentsOf({ fileId: 1, renditions }, 'cover')).toEqual([{ field: 'og', fileId: 1 }]);
    });
  });

  describe('config', () => {
    const rule = (output: unknown) => ({ id: 'r', contentType: 'api::a.a', prompt: 'p', target: 'cover', output });
    it('names the key of a bad rendition', () => {
      expect(() => parsePluginConfig({ rules: [rule([{ name: 'og', format: 'gif' }])] })).toThrow(/rules\[0\]\.output\[0\]\.format/);
      expect(() => parsePluginConfig({ rules: [rule([{ name: 'og' }, { name: 'og' }])] })).toThrow(/rules\[0\]\.output\[1\]\.name: "og" is used twice/);
    });
    it('keeps the default single output spec', () => {
      expect(parsePluginConfig({ rules: [rule(undefined)] }).rules[0].output).toEqual({ format: 'webp', quality: 82, fit: 'cover' });
    });
  });
});

describe('media/renditions', () => {
  let png: Buffer;
  beforeAll(async () => {
    png = await twoTonePng(800, 600, { r: 200, g: 30, b: 30 }, { r: 20, g: 40, b: 180 });
  });
  const xmp = provenanceXmp(provenanceFor({ id: 9, operation: 'generate', provider: 'studio', model: 'm<1>' }, null, new Date(0)));
  const formatSizes = [
    { key: 'thumbnail', width: 245, height: 156 },
    { key: 'small', width: 500, height: 500 },
    { key: 'large', width: 1000, height: 1000 },
  ];

  it('encodes every rendition and its fitting formats, each with the XMP', async () => {
    const [og, square] = await produceRenditions(png, [spec({ width: 600, height: 315 }), spec({ width: 200, height: 200, format: 'jpeg' })], { xmp, formatSizes });
    expect([og.original.width, og.original.height, og.providerBytesKept]).toEqual([600, 315, false]);
    expect(og.formats.map((format) => [format.key, format.image.width, format.image.height])).toEqual([
      ['thumbnail', 245, 129],
      ['small', 500, 263],
    ]);
    expect(square.formats.map((format) => [format.key, format.image.width, format.image.height])).toEqual([['thumbnail', 156, 156]]);
    for (const image of [og.original, ...og.formats.map((format) => format.image), square.original]) {
      const meta = await sharp(image.data).metadata();
      expect(meta.xmp?.toString()).toContain(TRAINED_ALGORITHMIC_MEDIA);
      expect(meta.xmp?.toString()).toContain('m&lt;1&gt;');
    }
  });

  it('cuts the widest box of the aspect and places it on the subject (a face-like blob at the right edge stays in)', async () => {
    const subject = await sharp({ create: { width: 120, height: 160, channels: 3, background: { r: 224, g: 172, b: 138 } } }).png().toBuffer();
    const scene = await sharp({ create: { width: 1000, height: 400, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .composite([{ input: subject, left: 860, top: 120 }])
      .png()
      .toBuffer();
    const [square] = await produceRenditions(scene, [spec({ width: 200, height: 200, format: 'png', formats: false })], { xmp: null, formatSizes });
    const { data, info } = await sharp(square.original.data).raw().toBuffer({ resolveWithObject: true });
    // The crop is 400x400 of the 1000x400 source (full height kept), scaled to 200x200; the skin-toned block
    // (x 860-980 in the source) must be inside, i.e. in the right part of the output.
    const at = (x: number, y: number) => data[(y * info.width + x) * info.channels];
    expect(at(180, 100)).toBeGreaterThan(200);
    expect(at(10, 100)).toBeLessThan(100);
  });

  it('keeps the provider bytes when format and size are already as asked; formats: false makes none', async () => {
    const [kept] = await produceRenditions(png, [spec({ format: 'png', formats: false })], { xmp, formatSizes });
    expect(kept.providerBytesKept).toBe(true);
    expect(kept.original.data.equals(png)).toBe(true);
    expect(kept.formats).toEqual([]);
  });
});

describe('media/provenance', () => {
  it('labels edits as composites and finds a C2PA JUMBF box', () => {
    expect(provenanceFor({ id: 1, operation: 'edit', provider: 'p', model: null }, 'x').digitalSourceType).toBe(COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA);
    expect(hasC2paManifest(Buffer.from('....jumb....c2pa....'))).toBe(true);
    expect(hasC2paManifest(Buffer.from('c2pa only'))).toBe(false);
  });
});
