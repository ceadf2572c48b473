/** The fakes must refuse what the real APIs refuse, or the provider tests would prove nothing. */
import { FakeOpenAI } from '../../fakes/fake-openai';
import { pngImage } from './support';

describe('fake openai', () => {
  let fake: FakeOpenAI;
  beforeEach(async () => {
    fake = await new FakeOpenAI().start();
  });
  afterEach(() => fake.stop());

  const generate = (body: Record<string, unknown>, key = fake.apiKey) =>
    fetch(`${fake.url}/v1/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  async function edit(fill: (form: FormData) => Promise<void>) {
    const form = new FormData();
    form.append('model', 'gpt-image-2');
    form.append('prompt', 'x');
    await fill(form);
    return fetch(`${fake.url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${fake.apiKey}` }, body: form });
  }
  const png = async (width: number, height: number, alpha = false) => new Blob([await pngImage(width, height, { alpha })], { type: 'image/png' });

  describe('generations', () => {
    it.each([
      [{ model: 'gpt-image-2', prompt: 'x' }, 200, null],
      [{ model: 'gpt-image-2', prompt: 'x', size: '2048x1152' }, 200, null],
      [{ model: 'gpt-image-2', prompt: 'x', response_format: 'b64_json' }, 400, 'response_format'],
      [{ prompt: 'x' }, 400, 'model'],
      [{ model: 'dall-e-3', prompt: 'x' }, 404, null],
      [{ model: 'gpt-image-2', prompt: 'x', size: '1000x1000' }, 400, 'size'],
      [{ model: 'gpt-image-1.5', prompt: 'x', size: '2048x1152' }, 400, 'size'],
      [{ model: 'gpt-image-2', prompt: 'x', n: 11 }, 400, 'n'],
      [{ model: 'gpt-image-2', prompt: 'x', input_fidelity: 'high' }, 400, 'input_fidelity'],
      [{ model: 'gpt-image-2', prompt: 'x', background: 'transparent', output_format: 'jpeg' }, 400, 'background'],
    ])('answers %j with %i (param %s)', async (body, status, param) => {
      const response = await generate(body);
      expect(response.status).toBe(status);
      const json = (await response.json()) as { error?: { param?: string } };
      if (param) expect(json.error?.param).toBe(param);
    });

    it('rejects a wrong key with 401 invalid_api_key and records headers without the key', async () => {
      const response = await generate({ model: 'gpt-image-2', prompt: 'x' }, 'sk-wrong');
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
      expect(JSON.stringify(fake.requests)).not.toContain('sk-wrong');
    });

    it('applies an injected fault only the given number of times', async () => {
      fake.inject('server_error', { times: 2 });
      const statuses: number[] = [];
      for (let index = 0; index < 3; index += 1) statuses.push((await generate({ model: 'gpt-image-2', prompt: 'x' })).status);
      expect(statuses).toEqual([500, 500, 200]);
    });
  });

  describe('enforceRateLimit', () => {
    it('refuses requests over the limit with 429 and retry-after, counts them, and admits again once the window moved', async () => {
      fake.enforceRateLimit(2, 1500);
      const body = { model: 'gpt-image-2', prompt: 'x', size: '1024x1024' };
      const statuses: number[] = [];
      for (let index = 0; index < 3; index += 1) statuses.push((await generate(body)).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect(fake.limitRefusals).toHaveLength(1);
      const deadline = Date.now() + 5000;
      let status = 429;
      while (status === 429 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = (await generate(body)).status;
      }
      expect(status).toBe(200);
      expect(fake.requests[fake.requests.length - 1].receivedAt - fake.requests[0].receivedAt).toBeGreaterThanOrEqual(1500);
    });
  });

  describe('edits', () => {
    it.each([
      ['one image field', async (form: FormData) => form.append('image', await png(256, 256), 'a.png'), 200],
      ['repeated image[] fields', async (form: FormData) => {
        form.append('image[]', await png(256, 256), 'a.png');
        form.append('image[]', await png(128, 128), 'b.png');
      }, 200],
      ['image and image[] together', async (form: FormData) => {
        form.append('image', await png(256, 256), 'a.png');
        form.append('image[]', await png(256, 256), 'b.png');
      }, 400],
      ['no image', async () => undefined, 400],
      ['a mask with alpha of the same size', async (form: FormData) => {
        form.append('image', await png(256, 256), 'a.png');
        form.append('mask', await png(256, 256, true), 'm.png');
      }, 200],
      ['a mask without alpha', async (form: FormData) => {
        form.append('image', await png(256, 256), 'a.png');
        form.append('mask', await png(256, 256), 'm.png');
      }, 400],
      ['a mask of another size', async (form: FormData) => {
        form.append('image', await png(256, 256), 'a.png');
        form.append('mask', await png(128, 128, true), 'm.png');
      }, 400],
    ])('answers %s with %i', async (_case, fill, status) => {
      const response = await edit(fill);
      expect(response.status).toBe(status);
    });
  });
});
