/**
 * The crash soak shared by `scripts/soak-crash.js` (200 jobs) and the bounded CI test: one playground
 * process works through jobs against a slow counting fake OpenAI and is killed with SIGKILL several times
 * mid-work, then restarted. Reports what a crash must never cause: lost jobs, provider calls that had
 * completed being paid again, files nobody references, entries with more than their one file attached.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { FakeOpenAI } from '../../fakes/fake-openai';
import { createArticleOver, startCluster } from './instances';
import { waitFor } from './wait';

export interface SoakFigures {
  jobs: number;
  kills: number;
  succeeded: number;
  lost: number;
  completedCalls: number;
  repeatedCompletedCalls: number;
  /**
   * Of those, calls whose answer the fake had sent but the killed process had not saved yet (no checkpoint on
   * the job at the kill): the answer was still in transit. Any other repeat means a saved result was paid again.
   */
  repeatedInTransit: number;
  interruptedCalls: number;
  orphanFileRows: number;
  orphanFilesOnDisk: number;
  doubleAttaches: number;
  /** Per restart: ms from the process answering /_health until no job was left leased by the killed process. */
  recoveryMs: number[];
  leaseMs: number;
  totalMs: number;
}

const API_KEY = 'sk-proj-soak-KEY-91c2';

export async function runCrashSoak(options: { jobs: number; kills: number; log?: (line: string) => void }): Promise<SoakFigures> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const leaseMs = 30_000;
  const fake = await new FakeOpenAI({ apiKey: API_KEY }).start();
  fake.delayMs = 300;
  const cluster = await startCluster({
    count: 1,
    config: {
      providers: { openai: { type: 'openai', apiKey: API_KEY, baseUrl: `${fake.url}/v1`, timeoutMs: 20_000 } },
      rules: [
        {
          id: 'soak-gallery',
          contentType: 'api::article.article',
          on: [],
          provider: 'openai',
          prompt: 'Soak illustration for "{{title}}"',
          params: { size: '1024x1024', quality: 'low' },
          output: { format: 'webp', quality: 70, width: 240, height: 160, fit: 'cover' },
          target: 'gallery',
          folder: 'AI Assets/Soak',
        },
      ],
      queue: { concurrency: 4, maxAttempts: 10, leaseMs, pollIntervalMs: 200, backoffBaseMs: 200, maxBackoffMs: 2000 },
      publishAfterAttach: false,
    },
  });
  const [instance] = cluster.instances;
  const jobsTable = () => cluster.db('ai_assets_jobs');
  try {
    const titles = Array.from({ length: options.jobs }, (_, index) => `Soak entry ${index}`);
    const documentIds: string[] = [];
    for (let start = 0; start < titles.length; start += 20) {
      documentIds.push(...(await Promise.all(titles.slice(start, start + 20).map((title) => createArticleOver(instance, { title })))));
    }
    for (let start = 0; start < documentIds.length; start += 20) {
      const answers = await Promise.all(documentIds.slice(start, start + 20).map((documentId) => instance.call('POST', '/ai-assets/rules/soak-gallery/run', { documentId, locale: 'en' })));
      const refused = answers.filter((answer) => answer.status !== 202);
      if (refused.length) throw new Error(`manual run refused: ${refused[0].status} ${JSON.stringify(refused[0].body)}`);
    }
    log(`queued ${options.jobs} jobs`);

    const succeededCount = async () => Number((await jobsTable().where({ status: 'succeeded' }).count({ count: '*' }))[0].count);
    const recoveryMs: number[] = [];
    // Prompts whose call had completed at the fake when a process died but whose job held no saved result.
    const inTransitPrompts = new Map<string, number>();
    for (let kill = 1; kill <= options.kills; kill += 1) {
      const threshold = Math.floor((options.jobs * kill) / (options.kills + 1));
      await waitFor(async () => (await succeededCount()) >= threshold, { timeoutMs: 300_000, intervalMs: 50, what: `${threshold} jobs to succeed` });
      // Kill while provider calls are in flight, so some complete and some are cut off.
      await waitFor(async () => fake.requests.some((request) => request.completedAt === undefined && Date.now() - request.receivedAt < fake.delayMs), { timeoutMs: 10_000, intervalMs: 5, what: 'a provider call in flight' }).catch(() => undefined);
      const killedPid = instance.child?.pid;
      await instance.kill();
      const running = (await jobsTable().where({ status: 'running' }).select('prompt', 'checkpoint_data', 'result_file_id')) as Array<{ prompt: string; checkpoint_data: string | null; result_file_id: number | null }>;
      const unsaved = new Set(running.filter((job) => !job.checkpoint_data && !job.result_file_id).map((job) => job.prompt));
      const completedUnsaved = fake.requestsTo('/images/generations').filter((request) => request.completedAt !== undefined && unsaved.has(String(request.json?.prompt)));
      for (const request of completedUnsaved) inTransitPrompts.set(String(request.json?.prompt), (inTransitPrompts.get(String(request.json?.prompt)) ?? 0) + 1);
      log(`kill -9 #${kill} (pid ${killedPid}) at ${await succeededCount()} succeeded, ${running.length} running, ${completedUnsaved.length} answers in transit`);
      await instance.restart();
      const ready = Date.now();
      await waitFor(async () => (await jobsTable().where('lease_owner', 'like', `%:${killedPid}:%`).count({ count: '*' }))[0].count == 0, {
        timeoutMs: leaseMs * 2,
        intervalMs: 50,
        what: `the killed process's leases to be released`,
      });
      recoveryMs.push(Date.now() - ready);
    }

    await waitFor(async () => (await jobsTable().whereIn('status', ['queued', 'running']).count({ count: '*' }))[0].count == 0, { timeoutMs: 600_000, intervalMs: 200, what: 'every job to finish' });

    const jobs = (await jobsTable().select('id', 'status', 'target_document_id', 'result_file_id')) as Array<{ id: number; status: string; target_document_id: string; result_file_id: number | null }>;
    const succeeded = jobs.filter((job) => job.status === 'succeeded').length;
    const jobDocuments = new Set(jobs.filter((job) => job.status === 'succeeded').map((job) => job.target_document_id));
    const lost = documentIds.filter((documentId) => !jobDocuments.has(documentId)).length;

    const completedByPrompt = new Map<string, number>();
    let interruptedCalls = 0;
    for (const request of fake.requestsTo('/images/generations')) {
      if (request.completedAt === undefined) interruptedCalls += 1;
      else completedByPrompt.set(String(request.json?.prompt), (completedByPrompt.get(String(request.json?.prompt)) ?? 0) + 1);
    }
    const completedCalls = [...completedByPrompt.values()].reduce((sum, count) => sum + count, 0);
    const repeatedCompletedCalls = [...completedByPrompt.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
    const repeatedInTransit = [...completedByPrompt.entries()].reduce((sum, [prompt, count]) => sum + Math.min(Math.max(0, count - 1), inTransitPrompts.get(prompt) ?? 0), 0);

    const files = (await cluster.db('files').select('id', 'url', 'formats')) as Array<{ id: number; url: string; formats: unknown }>;
    const recorded = new Set(jobs.map((job) => job.result_file_id).filter((id) => id !== null));
    const orphanFileRows = files.filter((file) => !recorded.has(file.id)).length;
    const knownOnDisk = new Set<string>();
    for (const file of files) {
      knownOnDisk.add(path.basename(file.url));
      const formats = (typeof file.formats === 'string' ? JSON.parse(file.formats) : file.formats) as Record<string, { url: string }> | null;
      for (const format of Object.values(formats ?? {})) knownOnDisk.add(path.basename(format.url));
    }
    const orphanFilesOnDisk = readdirSync(path.join(cluster.publicDir, 'uploads')).filter((name) => !knownOnDisk.has(name)).length;

    // Gallery links of the draft rows: exactly one file per entry, the one its job recorded.
    const links = (await cluster.db('files_related_mph').where({ field: 'gallery' }).select('related_id')) as Array<{ related_id: number }>;
    const perRow = new Map<number, number>();
    for (const link of links) perRow.set(link.related_id, (perRow.get(link.related_id) ?? 0) + 1);
    const doubleAttaches = [...perRow.values()].filter((count) => count > 1).length;

    return {
      jobs: options.jobs,
      kills: options.kills,
      succeeded,
      lost,
      completedCalls,
      repeatedCompletedCalls,
      repeatedInTransit,
      interruptedCalls,
      orphanFileRows,
      orphanFilesOnDisk,
      doubleAttaches,
      recoveryMs,
      leaseMs,
      totalMs: Date.now() - started,
    };
  } finally {
    await cluster.close();
    await fake.stop();
  }
}

export function formatFigures(figures: SoakFigures): string {
  return [
    `jobs ${figures.jobs}, kill -9 x${figures.kills}, ${Math.round(figures.totalMs / 1000)} s`,
    `succeeded ${figures.succeeded}, lost ${figures.lost}`,
    `provider calls completed ${figures.completedCalls}: ${figures.repeatedCompletedCalls} repeated, of which ${figures.repeatedInTransit} answered but not yet received and saved when the process died, ${figures.repeatedCompletedCalls - figures.repeatedInTransit} repeated after being saved; cut off by a kill ${figures.interruptedCalls}`,
    `orphan files: ${figures.orphanFileRows} Media Library rows, ${figures.orphanFilesOnDisk} on disk`,
    `entries with more than one attached file: ${figures.doubleAttaches}`,
    `leases of the killed process released ${figures.recoveryMs.map((ms) => `${ms} ms`).join(', ')} after restart (lease ${figures.leaseMs} ms)`,
  ].join('\n');
}
