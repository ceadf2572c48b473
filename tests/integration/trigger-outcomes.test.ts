/**
 * "Why did nothing happen": every rule a publish evaluates leaves its outcome in the database (queued job,
 * duplicate of a job, target already set, locale filtered), the admin endpoint answers it for one document and
 * locale behind the read permission, and jobs show their entry's current title.
 */
import type { Core } from '@strapi/strapi';
import { bootPlayground, removeWorkDir, type TestApp } from './support/playground';
import { config, coverRule } from './support/configs';
import { api, createSuperAdmin, createUserWithActions, login } from './support/admin';
import { allJobs, waitForJobStatus } from './support/jobs';
import { waitFor } from './support/wait';

const ARTICLE = 'api::article.article';
const ROUTE = `/content-manager/collection-types/${ARTICLE}`;
/** Never skipped for an existing image: a second publish with the same inputs meets the first job. */
const photoRule = { ...coverRule, id: 'article-photo-always', target: 'photo', onlyIfEmpty: false, review: true, folder: 'AI Assets/Photos' };

interface OutcomeView {
  rule: string;
  locale: string | null;
  event: string;
  outcome: string;
  reason: string | null;
  jobId: number | null;
  recordedAt: string;
  job: { id: number; status: string } | null;
}

describe('trigger outcomes', () => {
  let app: TestApp;
  let admin: ReturnType<typeof api>;

  const outcomesOf = async (documentId: string, locale = 'en'): Promise<OutcomeView[]> => {
    const response = await admin.get(`/ai-assets/trigger-outcomes?contentType=${ARTICLE}&documentId=${documentId}&locale=${locale}`);
    expect(response.status).toBe(200);
    return response.body.data as OutcomeView[];
  };
  /** Polls until the outcome of `rule` was recorded after `since` (outcomes are written after commit). */
  const outcomeAfter = (documentId: string, rule: string, since: Date, locale = 'en') =>
    waitFor(async () => (await outcomesOf(documentId, locale)).find((outcome) => outcome.rule === rule && new Date(outcome.recordedAt) >= since), {
      what: `an outcome of ${rule} for ${documentId} after ${since.toISOString()}`,
    });

  /** Saves and publishes through the Content Manager's HTTP routes, like an editor pressing Publish. */
  async function publishFromAdmin(documentId: string | null, data: Record<string, unknown>, locale = 'en'): Promise<{ documentId: string; at: Date }> {
    const at = new Date(Date.now() - 5);
    let id = documentId;
    if (!id) {
      const created = await admin.post(`${ROUTE}?locale=${locale}`, data);
      expect(created.status).toBe(201);
      id = created.body.data.documentId as string;
    }
    const published = await admin.post(`${ROUTE}/${id}/actions/publish?locale=${locale}`, data);
    expect(published.status).toBe(200);
    return { documentId: id, at };
  }

  const jobsOf = async (strapi: Core.Strapi, documentId: string, rule: string) =>
    (await allJobs(strapi)).filter((job) => job.targetDocumentId === documentId && job.rule === rule);

  beforeAll(async () => {
    app = await bootPlayground({ config: config([coverRule, photoRule]) });
    await createSuperAdmin(app.strapi);
    admin = api(app.strapi, await login(app.strapi, 'super@example.test'));
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    if (app) removeWorkDir(app.workDir);
  });

  it('records the queued job, then "target already set" when a changed title is published again, and the job takes the new title', async () => {
    const first = await publishFromAdmin(null, { title: 'Tide Pools', summary: 'Rock and water.' });
    const queued = await outcomeAfter(first.documentId, coverRule.id, first.at);
    expect(queued).toMatchObject({ outcome: 'queued', event: 'publish', locale: 'en', jobId: expect.any(Number) });
    const [job] = await jobsOf(app.strapi, first.documentId, coverRule.id);
    expect(queued.jobId).toBe(job.id);
    await waitForJobStatus(app.strapi, job.id, ['succeeded']);

    const second = await publishFromAdmin(first.documentId, { title: 'Tide Pools at Dawn', summary: 'Rock and water.' });
    const skipped = await outcomeAfter(first.documentId, coverRule.id, second.at);
    expect(skipped).toMatchObject({ outcome: 'target_set', jobId: null, job: null });
    expect(skipped.reason).toMatch(/"cover" already has a file/);
    expect(await jobsOf(app.strapi, first.documentId, coverRule.id)).toHaveLength(1);

    const listed = await waitFor(async () => {
      const response = await admin.get(`/ai-assets/jobs?documentId=${first.documentId}&rule=${coverRule.id}`);
      return response.body.results[0]?.entryTitle === 'Tide Pools at Dawn' && response.body.results[0];
    }, { what: 'the job to show the current title' });
    expect(listed.id).toBe(job.id);
    const detail = await admin.get(`/ai-assets/jobs/${job.id}`);
    expect(detail.body.data.entryTitle).toBe('Tide Pools at Dawn');
  });

  it('records "duplicate of job #N" when the same inputs are published again', async () => {
    const first = await publishFromAdmin(null, { title: 'Salt Marsh', summary: 'Reeds.' });
    const queued = await outcomeAfter(first.documentId, photoRule.id, first.at);
    expect(queued.outcome).toBe('queued');
    await waitForJobStatus(app.strapi, queued.jobId as number, ['awaiting_review']);

    const again = await publishFromAdmin(first.documentId, { title: 'Salt Marsh', summary: 'Reeds.' });
    const duplicate = await outcomeAfter(first.documentId, photoRule.id, again.at);
    expect(duplicate).toMatchObject({ outcome: 'duplicate', jobId: queued.jobId, job: { id: queued.jobId, status: 'awaiting_review' } });
    expect(await jobsOf(app.strapi, first.documentId, photoRule.id)).toHaveLength(1);
  });

  it('records "locale filtered" for a locale outside the rule\'s locales, and keeps locales apart', async () => {
    await app.strapi.plugin('i18n').service('locales').create({ code: 'fr', name: 'French (fr)' });
    const english = await publishFromAdmin(null, { title: 'Lighthouse', summary: 'Night.' });
    await outcomeAfter(english.documentId, coverRule.id, english.at);
    const french = await publishFromAdmin(english.documentId, { title: 'Phare', summary: 'Nuit.' }, 'fr');
    for (const rule of [coverRule.id, photoRule.id]) {
      const filtered = await outcomeAfter(english.documentId, rule, french.at, 'fr');
      expect(filtered).toMatchObject({ outcome: 'locale_filtered', locale: 'fr', jobId: null });
      expect(filtered.reason).toMatch(/locale fr is not in the rule's locales/);
    }
    // The English outcomes are still the queued jobs: one row per (rule, document, locale).
    expect((await outcomesOf(english.documentId, 'en')).map((outcome) => outcome.outcome)).toEqual(['queued', 'queued']);
    expect((await allJobs(app.strapi)).filter((job) => job.targetDocumentId === english.documentId && job.targetLocale === 'fr')).toHaveLength(0);
  });

  it('keeps one row per (rule, document, locale) however many times it is published, and none once it is deleted', async () => {
    const { documentId, at } = await publishFromAdmin(null, { title: 'Estuary', summary: 'Mud.' });
    await outcomeAfter(documentId, photoRule.id, at);
    const again = await publishFromAdmin(documentId, { title: 'Estuary', summary: 'Mud.' });
    await outcomeAfter(documentId, photoRule.id, again.at);
    const rowsOf = () => app.strapi.db.query('plugin::ai-assets.trigger-outcome').findMany({ where: { targetDocumentId: documentId } });
    expect((await rowsOf()).map((row: { rule: string }) => row.rule).sort()).toEqual([coverRule.id, photoRule.id]);

    // Deleting the document locale forgets its outcomes.
    await app.strapi.documents(ARTICLE as never).delete({ documentId, locale: 'en' } as never);
    await waitFor(async () => (await rowsOf()).length === 0, { what: `the outcomes of deleted ${documentId} to go` });
  });

  it('answers only users with the read permission, and names a missing query parameter', async () => {
    const { documentId, at } = await publishFromAdmin(null, { title: 'Dunes', summary: 'Sand.' });
    await outcomeAfter(documentId, coverRule.id, at);
    await createUserWithActions(app.strapi, 'reader@example.test', ['plugin::ai-assets.read']);
    await createUserWithActions(app.strapi, 'nobody@example.test', ['plugin::ai-assets.generate']);
    const reader = api(app.strapi, await login(app.strapi, 'reader@example.test'));
    const nobody = api(app.strapi, await login(app.strapi, 'nobody@example.test'));
    const path = `/ai-assets/trigger-outcomes?contentType=${ARTICLE}&documentId=${documentId}&locale=en`;

    const allowed = await reader.get(path);
    expect(allowed.status).toBe(200);
    expect(allowed.body.data.map((outcome: OutcomeView) => outcome.rule).sort()).toEqual([coverRule.id, photoRule.id]);
    expect((await nobody.get(path)).status).toBe(403);

    const missing = await admin.get(`/ai-assets/trigger-outcomes?documentId=${documentId}`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/contentType/);
  });
});
