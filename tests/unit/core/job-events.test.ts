import { JOB_EVENTS, createJobEvents, jobEventPayload, registerJobWebhookEvents } from '../../../server/src/events/job-events';
import type { JobStore } from '../../../server/src/queue/job-store';
import { makeJob } from '../../fixtures/fake-job-store';
import { waitFor } from '../../fixtures/wait';

describe('events/job-events', () => {
  describe('jobEventPayload', () => {
    it('carries the job, entry, file and readable error and nothing else from the row', () => {
      const job = makeJob(7, {
        targetLocale: 'en',
        status: 'failed',
        prompt: 'secret-ish prompt',
        errorCode: 'auth',
        errorMessage: 'The provider rejected the API key.',
        errorRetryable: false,
        params: { apiKey: 'sk-should-never-appear' },
      });
      const payload = jobEventPayload(job, 'failed');
      expect(payload).toEqual({
        job: {
          id: 7, rule: 'article-cover', contentType: 'api::article.article', documentId: 'doc7', locale: 'en', status: 'failed', trigger: 'publish',
          fileUrl: null, fileId: null, attachedField: null, error: { code: 'auth', message: 'The provider rejected the API key.', retryable: false },
        },
      });
      expect(JSON.stringify(payload)).not.toMatch(/sk-should-never-appear|secret-ish/);
    });

    it('gives the file URL and no error for a succeeded job', () => {
      const job = makeJob(8, { resultFileId: 3, result: { fileId: 3, url: '/uploads/a.webp', mime: 'image/webp', width: 1, height: 1, size: 1, name: 'a.webp' }, attachedField: 'cover' });
      expect(jobEventPayload(job, 'succeeded').job).toMatchObject({ fileUrl: '/uploads/a.webp', fileId: 3, attachedField: 'cover', error: null, status: 'succeeded' });
    });
  });

  describe('registerJobWebhookEvents', () => {
    it("adds each event to Strapi's webhook store", () => {
      const added: Array<[string, string]> = [];
      const strapi = { get: () => ({ addAllowedEvent: (key: string, value: string) => added.push([key, value]) }) };
      registerJobWebhookEvents(strapi as never);
      expect(added).toEqual([
        ['AI_ASSETS_JOB_SUCCEEDED', 'ai-assets.job.succeeded'],
        ['AI_ASSETS_JOB_AWAITING_REVIEW', 'ai-assets.job.awaiting_review'],
        ['AI_ASSETS_JOB_FAILED', 'ai-assets.job.failed'],
        ['AI_ASSETS_JOB_APPROVED', 'ai-assets.job.approved'],
        ['AI_ASSETS_JOB_REVERTED', 'ai-assets.job.reverted'],
      ]);
    });
  });

  describe('emit', () => {
    it.each(Object.entries(JOB_EVENTS))('emits %s as %s with the row read back', async (status, event) => {
      const emitted: Array<[string, unknown]> = [];
      const store = { findById: async (id: number) => makeJob(id) } as unknown as JobStore;
      const strapi = { eventHub: { emit: async (name: string, payload: unknown) => void emitted.push([name, payload]) }, log: { error: jest.fn() } };
      createJobEvents({ strapi: strapi as never, store }).emit(status as keyof typeof JOB_EVENTS, 4);
      await waitFor(async () => emitted.length === 1);
      expect(emitted[0]).toEqual([event, { job: expect.objectContaining({ id: 4, status }) }]);
    });

    it('never throws to its caller: a failing subscriber is logged', async () => {
      const error = jest.fn();
      const store = { findById: async (id: number) => makeJob(id) } as unknown as JobStore;
      const strapi = { eventHub: { emit: async () => Promise.reject(new Error('receiver down')) }, log: { error } };
      expect(() => createJobEvents({ strapi: strapi as never, store }).emit('succeeded', 5)).not.toThrow();
      await waitFor(async () => error.mock.calls.length === 1);
      expect(error.mock.calls[0][0]).toBe('ai-assets: could not announce job 5 succeeded: receiver down');
    });
  });
});
