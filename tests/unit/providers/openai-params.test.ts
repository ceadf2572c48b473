import { createOpenAIParamsSchema, flexibleSizeProblem } from '../../../server/src/providers/openai/params';
import { computeCostUsd, DEFAULT_PRICES } from '../../../server/src/providers/openai/pricing';

describe('openai params', () => {
  describe('paramsSchema (gpt-image-2)', () => {
    const schema = createOpenAIParamsSchema('gpt-image-2');
    it.each([
      [{}, true],
      [{ size: 'auto' }, true],
      [{ size: '1024x1024' }, true],
      [{ size: '1536x1024' }, true],
      [{ size: '3840x2160' }, true],
      [{ size: '2160x3840' }, true],
      [{ size: '1024x640' }, true],
      [{ size: '2048x2048' }, true],
      [{ size: '1000x1000' }, false], // not multiples of 16
      [{ size: '4096x2048' }, false], // longest edge > 3840
      [{ size: '3072x1008' }, false], // ratio > 3:1
      [{ size: '800x800' }, false], // fewer than 655,360 pixels
      [{ size: '3840x2400' }, false], // more than 8,294,400 pixels
      [{ size: 'huge' }, false],
      [{ quality: 'high' }, true],
      [{ quality: 'ultra' }, false],
      [{ background: 'transparent' }, true],
      [{ background: 'transparent', output_format: 'webp' }, true],
      [{ background: 'transparent', output_format: 'jpeg' }, false],
      [{ output_format: 'jpeg', output_compression: 80 }, true],
      [{ output_compression: 80 }, false],
      [{ output_format: 'webp', output_compression: 101 }, false],
      [{ moderation: 'low' }, true],
      [{ moderation: 'off' }, false],
      [{ n: 1 }, true],
      [{ n: 10 }, true],
      [{ n: 0 }, false],
      [{ n: 11 }, false],
      [{ n: 1.5 }, false],
      [{ input_fidelity: 'high' }, false],
      [{ user: 'editor-42' }, true],
      [{ response_format: 'b64_json' }, false],
      [{ seed: 1 }, false],
    ])('validates %j as %s', (params, valid) => {
      expect(schema.safeParse(params).success).toBe(valid);
    });

    it('names the path and the rule in the message', () => {
      const result = schema.safeParse({ size: '1000x1000' });
      expect(result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['size', 'both edges must be multiples of 16']]);
    });
  });

  describe('paramsSchema (fixed-size models)', () => {
    const schema = createOpenAIParamsSchema('gpt-image-1.5');
    it.each([
      [{ size: '1536x1024' }, true],
      [{ size: '2048x1152' }, false],
      [{ input_fidelity: 'high' }, true],
      [{ model: 'gpt-image-2', size: '2048x1152' }, true],
    ])('validates %j as %s', (params, valid) => {
      expect(schema.safeParse(params).success).toBe(valid);
    });
  });

  describe('flexibleSizeProblem', () => {
    it('accepts the extreme allowed ratio', () => {
      expect(flexibleSizeProblem(2400, 800)).toBeNull();
    });
  });

  describe('computeCostUsd', () => {
    it.each([
      [{ model: 'gpt-image-2', size: '1024x1024', quality: 'high', images: 1 }, 0.211],
      [{ model: 'gpt-image-2-2026-04-21', size: '1536x1024', quality: 'medium', images: 2 }, 0.082],
      [{ model: 'gpt-image-1-mini', size: '1024x1536', quality: 'low', images: 1 }, 0.006],
      [{ model: 'gpt-image-2', size: '2048x2048', quality: 'high', images: 1, usage: { input_tokens: 100, output_tokens: 2000 } }, (100 * 5 + 2000 * 30) / 1e6],
      [{ model: 'gpt-image-1.5', size: '2048x2048', quality: 'high', images: 1, usage: { output_tokens: 2000 } }, undefined],
      [{ model: 'unknown-model', size: '1024x1024', quality: 'high', images: 1 }, undefined],
    ])('prices %j at %p', (input, expected) => {
      const cost = computeCostUsd(DEFAULT_PRICES, input);
      if (expected === undefined) expect(cost).toBeUndefined();
      else expect(cost).toBeCloseTo(expected, 6);
    });
  });
});
