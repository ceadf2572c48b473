import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signKieCallback, verifyKieCallback } from '../../../server/src/providers/kie';
import { FakeKie } from '../../fakes/fake-kie';

describe('kie callback', () => {
  describe('verifyKieCallback', () => {
    const secret = 'whsec-test';
    const now = Date.parse('2026-05-01T12:00:00Z');
    const timestamp = String(Math.floor(now / 1000));
    const body = { code: 200, msg: 'success', data: { taskId: 'task_1', state: 'success' } };
    const signature = signKieCallback('task_1', timestamp, secret);

    it.each([
      ['a correct signature on an object body', {}, { ok: true, taskId: 'task_1' }],
      ['a correct signature on a raw JSON body', { body: JSON.stringify(body) }, { ok: true, taskId: 'task_1' }],
      ['a correct signature on a Buffer body', { body: Buffer.from(JSON.stringify(body)) }, { ok: true, taskId: 'task_1' }],
      ['a timestamp at the edge of the tolerance', { now: now + 300_000 }, { ok: true, taskId: 'task_1' }],
      ['a signature made with another secret', { signature: signKieCallback('task_1', timestamp, 'other') }, { ok: false, reason: 'signature mismatch' }],
      ['a signature for another task', { signature: signKieCallback('task_2', timestamp, secret) }, { ok: false, reason: 'signature mismatch' }],
      ['a truncated signature', { signature: signature.slice(0, 10) }, { ok: false, reason: 'signature mismatch' }],
      ['no signature', { signature: undefined }, { ok: false, reason: 'missing signature' }],
      ['a stale timestamp', { now: now + 301_000 }, { ok: false, reason: 'timestamp outside tolerance' }],
      ['a timestamp from the future', { now: now - 301_000 }, { ok: false, reason: 'timestamp outside tolerance' }],
      ['a non-numeric timestamp', { timestamp: 'yesterday' }, { ok: false, reason: 'missing or invalid timestamp' }],
      ['a body without taskId', { body: { code: 200, data: {} } }, { ok: false, reason: 'body has no taskId' }],
      ['a body that is not JSON', { body: 'not json' }, { ok: false, reason: 'body has no taskId' }],
      ['an empty secret', { secret: '' }, { ok: false, reason: 'no webhook secret configured' }],
      ['a tighter tolerance', { now: now + 61_000, toleranceSeconds: 60 }, { ok: false, reason: 'timestamp outside tolerance' }],
    ])('judges %s', (_case, overrides, expected) => {
      expect(verifyKieCallback({ body, timestamp, signature, secret, now, ...overrides })).toEqual(expected);
    });
  });

  describe('fake kie callbacks', () => {
    it('delivers repeated signed callbacks that all verify to the same task', async () => {
      const fake = await new FakeKie().start();
      const verdicts: unknown[] = [];
      const receiver = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          verdicts.push(
            verifyKieCallback({
              body: Buffer.concat(chunks),
              timestamp: req.headers['x-webhook-timestamp'] as string,
              signature: req.headers['x-webhook-signature'] as string,
              secret: fake.webhookSecret,
            })
          );
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const create = await fetch(`${fake.url}/api/v1/jobs/createTask`, {
          method: 'POST',
          headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-image-2-text-to-image', input: { prompt: 'x' } }),
        });
        const { data } = (await create.json()) as { data: { taskId: string } };
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callback`;
        expect(await fake.sendCallback(data.taskId, url, { times: 3 })).toEqual([200, 200, 200]);
        await fake.sendCallback(data.taskId, url, { badSignature: true });
        expect(verdicts).toEqual([
          { ok: true, taskId: data.taskId },
          { ok: true, taskId: data.taskId },
          { ok: true, taskId: data.taskId },
          { ok: false, reason: 'signature mismatch' },
        ]);
      } finally {
        receiver.closeAllConnections();
        await new Promise((resolve) => receiver.close(resolve));
        await fake.stop();
      }
    });
  });
});
