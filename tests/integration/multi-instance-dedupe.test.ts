/**
 * Two Strapi processes on one database, hit at the same moment with the same work: the unique active-hash
 * key lets exactly one job through and the provider (a fake OpenAI counting requests) is paid once.
 * Jobs of different entries also create their shared upload folder at once on both instances.
 * Runs with TEST_DATABASE=postgres (`npm run test:postgres`): SQLite holds one writer process.
 */
import { FakeOpenAI } from '../fakes/fake-openai';
import { createArticleOver, multiInstanceDescribe, publishOver, startCluster, type Cluster } from './support/instances';
import { waitFor } from './support/wait';

const API_KEY = 'sk-proj-cluster-KEY-5e1d0c';
const RACERS = 20;
const ENTRIES = 3;

const rule = {
  id: 'race-cover',
  contentType: 'api::article.article',
  on: ['publish'],
  provider: 'openai',
  prompt: 'Editorial illustration for "{{title}}"',
  params: { size: '1024x1024', quality: 'low' },
  output: { format: 'webp', quality: 80, width: 300, height: 160, fit: 'cover' },
  target: 'cover',
  folder: 'AI Assets/Race',
};

multiInstanceDescribe('two instances on one database', () => {
  let fake: FakeOpenAI;
  let cluster: Cluster;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
    // Slow enough that every racer arrives while the first job is still queued or running.
    fake.delayMs = 400;
    cluster = await startCluster({
      count: 2,
      config: {
        providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 10_000 } },
        rules: [rule],
        queue: { concurrency: 2, maxAttempts: 3, leaseMs: 5000, pollIntervalMs: 100, backoffBaseMs: 200, maxBackoffMs: 2000 },
      },
    });
  }, 180_000);
  afterAll(async () => {
    await cluster?.close();
    await fake?.stop();
  });

  const jobsOf = (documentId: string) => cluster.db('ai_assets_jobs').where({ target_document_id: documentId }).select('id', 'status', 'input_hash');
  const callsFor = (title: string) => fake.requestsTo('/images/generations').filter((request) => String(request.json?.prompt).includes(title));

  async function waitUntilSettled(documentId: string) {
    return waitFor(async () => {
      const jobs = await jobsOf(documentId);
      return jobs.length > 0 && jobs.every((job) => !['queued', 'running'].includes(job.status)) ? jobs : null;
    }, { timeoutMs: 60_000, what: `the jobs of ${documentId} to finish` });
  }

  it(`makes one job and one provider call for ${RACERS} simultaneous manual runs of one rule on one entry`, async () => {
    const [first, second] = cluster.instances;
    const titles = Array.from({ length: ENTRIES }, (_, index) => `Manual race ${index}`);
    const documentIds = await Promise.all(titles.map((title) => createArticleOver(first, { title, summary: 'Racing.' })));
    // All entries at once: their jobs also race to create the rule's folder on both instances.
    const answers = await Promise.all(
      documentIds.flatMap((documentId) =>
        Array.from({ length: RACERS }, (_, racer) => (racer % 2 ? second : first).call('POST', `/ai-assets/rules/${rule.id}/run`, { documentId, locale: 'en' }))
      )
    );
    expect(answers.map((answer) => answer.status).filter((status) => status !== 202)).toEqual([]);
    for (const [index, documentId] of documentIds.entries()) {
      const jobs = await waitUntilSettled(documentId);
      const mine = answers.slice(index * RACERS, (index + 1) * RACERS);
      expect(new Set(mine.map((answer) => answer.body.data.jobId))).toEqual(new Set([jobs[0].id]));
      expect(mine.filter((answer) => !answer.body.data.deduplicated)).toHaveLength(1);
      expect(jobs.map((job) => job.status)).toEqual(['succeeded']);
      expect(callsFor(titles[index])).toHaveLength(1);
    }
    const folders = await cluster.db('upload_folders').where({ name: 'Race' }).select('id');
    expect(folders).toHaveLength(1);
  });

  it(`makes one job and one provider call for ${RACERS} simultaneous publishes of one entry`, async () => {
    const [first, second] = cluster.instances;
    const title = 'Publish race';
    const documentId = await createArticleOver(first, { title, summary: 'Racing publishes.' });
    const answers = await Promise.all(Array.from({ length: RACERS }, (_, racer) => publishOver(racer % 2 ? second : first, documentId)));
    // Strapi itself may refuse some of 20 racing publishes of one document (it deletes and re-inserts the published
    // row): what the plugin promises is one job and one call for all that succeeded.
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.status !== 200 && answer.status < 500)).toEqual([]);
    const jobs = await waitUntilSettled(documentId);
    expect(jobs.map((job) => job.status)).toEqual(['succeeded']);
    expect(callsFor(title)).toHaveLength(1);
  });
});
