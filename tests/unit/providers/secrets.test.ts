/**
 * A fault-heavy run per provider: the API key must appear in no error message, serialized error, cause
 * or captured log line, even when a misbehaving server echoes the key back.
 */
import { inspect } from 'node:util';
import { azureOpenAIProviderType } from '../../../server/src/providers/azure-openai';
import { kieProviderType } from '../../../server/src/providers/kie';
import { openAIProviderType } from '../../../server/src/providers/openai';
import type { ImageProvider } from '../../../server/src/providers/types';
import { createFakeAzure } from '../../fakes/fake-azure';
import { FakeKie } from '../../fakes/fake-kie';
import { FakeOpenAI, type OpenAIFault } from '../../fakes/fake-openai';
import { captureLog, pngImage } from './support';

const OPENAI_FAULTS: OpenAIFault[] = [
  'echo_key',
  'rate_limit',
  'server_error',
  'overloaded',
  'moderation_blocked',
  'insufficient_quota',
  'org_verification',
  'bad_key',
  'model_not_found',
  'malformed_json',
  'truncated_body',
  'invalid_mask',
  'hang',
];

function leakChecks(secret: string, errors: unknown[], lines: string[]): string[] {
  const surfaces = errors.flatMap((error) => {
    const record = error as Error & { cause?: unknown };
    return [record.message, JSON.stringify(record), inspect(record, { depth: 10 }), String(record.stack), inspect(record.cause, { depth: 10 })];
  });
  return [...surfaces, ...lines, JSON.stringify(errors.map((error) => ({ ...(error as object) })))].filter((text) => text.includes(secret));
}

async function collect(calls: Array<() => Promise<unknown>>): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const call of calls) await call().catch((error: unknown) => errors.push(error));
  return errors;
}

describe('secrets', () => {
  describe.each([
    ['openai', async () => {
      const fake = await new FakeOpenAI({ apiKey: 'sk-proj-SECRETSECRET-0123456789' }).start();
      const logs = captureLog();
      const provider = openAIProviderType.create({ name: 'studio', log: logs.log, options: openAIProviderType.optionsSchema.parse({ apiKey: fake.apiKey, baseUrl: `${fake.url}/v1`, timeoutMs: 300 }) });
      return { fake, logs, provider };
    }],
    ['azure-openai', async () => {
      const fake = await createFakeAzure({ apiKey: 'azure-SECRETSECRET-0123456789' }).start();
      const logs = captureLog();
      const provider = azureOpenAIProviderType.create({ name: 'azure', log: logs.log, options: azureOpenAIProviderType.optionsSchema.parse({ apiKey: fake.apiKey, endpoint: fake.url, deployment: 'image-deploy', timeoutMs: 300 }) });
      return { fake, logs, provider };
    }],
  ] as Array<[string, () => Promise<{ fake: FakeOpenAI; logs: ReturnType<typeof captureLog>; provider: ImageProvider }>]>)('%s', (_name, setup) => {
    it('never shows the key in errors or logs across every fault', async () => {
      const { fake, logs, provider } = await setup();
      try {
        const image = { data: await pngImage(256, 256), mime: 'image/png' };
        const calls = OPENAI_FAULTS.flatMap((fault) => [
          () => (fake.inject(fault), provider.generate({ prompt: 'x', params: {} }, { signal: new AbortController().signal })),
          () => (fake.inject(fault), provider.edit({ prompt: 'x', params: {}, images: [image] }, { signal: new AbortController().signal })),
        ]);
        const errors = await collect(calls);
        expect(errors).toHaveLength(calls.length);
        expect(leakChecks(fake.apiKey, errors, logs.lines)).toEqual([]);
        expect(JSON.stringify(provider.describe())).not.toContain(fake.apiKey);
        // The echo fault really did send the key back, so the scrubbing above was exercised.
        expect((errors[0] as Error).message).toContain('[redacted]');
      } finally {
        await fake.stop();
      }
    });
  });

  describe('kie', () => {
    it('never shows the key in errors or logs across every fault', async () => {
      const fake = await new FakeKie().start();
      fake.apiKey = 'kie-SECRETSECRET-0123456789';
      const logs = captureLog();
      const provider = kieProviderType.create({
        name: 'kie',
        log: logs.log,
        options: kieProviderType.optionsSchema.parse({ apiKey: fake.apiKey, baseUrl: fake.url, pollIntervalMs: 5, timeoutMs: 300, taskTimeoutMs: 1000, downloadHosts: ['127.0.0.1'] }),
      });
      try {
        const faults = [
          { name: 'code', code: 401, msg: `invalid key ${fake.apiKey}` },
          ...[402, 404, 422, 429, 433, 455, 500, 501, 505].map((code) => ({ name: 'code' as const, code })),
          { name: 'fail_task', failMsg: `failed for Bearer ${fake.apiKey}` },
          { name: 'http_status', status: 500 },
          { name: 'malformed_json' },
          { name: 'hang' },
        ] as const;
        const calls = [
          ...faults.map((fault) => () => (fake.inject({ ...fault, path: 'createTask' }), provider.generate({ prompt: 'x', params: {} }, { signal: new AbortController().signal }))),
          // Success path, then a result URL outside the allowlist (the default refuses loopback http).
          () => provider.generate({ prompt: 'x', params: {} }, { signal: new AbortController().signal }),
        ];
        const errors = await collect(calls);
        expect(errors).toHaveLength(calls.length);
        expect(leakChecks(fake.apiKey, errors, logs.lines)).toEqual([]);
        expect((errors[0] as Error).message).toContain('[redacted]');
      } finally {
        await fake.stop();
      }
    });
  });
});
