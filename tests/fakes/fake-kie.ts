/**
 * Fake kie.ai task API: createTask, recordInfo polling (tasks finish after N polls), result files served
 * over http on loopback, errors inside HTTP 200 bodies, failed tasks, and (signed, repeatable) callbacks.
 */
import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';
import { type Fault, FakeServer, makeImage, type RecordedRequest } from './fake-server';

export type KieFault = 'code' | 'http_status' | 'fail_task' | 'hang' | 'malformed_json' | 'truncated_body';

export const KIE_MODELS = ['gpt-image-2-text-to-image', 'gpt-image-2-image-to-image'];
const RATIOS = ['auto', '1:1', '3:2', '2:3', '4:3', '3:4', '16:9', '9:16'];
const LONG_EDGE: Record<string, number> = { '1K': 1024, '2K': 2048, '4K': 4096 };

/** The size the fake renders: long edge by resolution, short edge by aspect ratio (multiple of 16). */
export function kieImageSize(aspectRatio: string, resolution: string): { width: number; height: number } {
  const long = LONG_EDGE[resolution] ?? 1024;
  const [w, h] = aspectRatio === 'auto' ? [1, 1] : aspectRatio.split(':').map(Number);
  const short = Math.round((long * Math.min(w, h)) / Math.max(w, h) / 16) * 16;
  return w >= h ? { width: long, height: short } : { width: short, height: long };
}

interface Task {
  taskId: string;
  model: string;
  input: Record<string, unknown>;
  polls: number;
  pollsNeeded: number;
  fail?: { failCode: string; failMsg: string };
  callBackUrl?: string;
}

export class FakeKie extends FakeServer<KieFault> {
  apiKey = 'kie-test-key-0123456789abcdef';
  /** Polls of recordInfo before a new task reports success. */
  pollsUntilDone = 1;
  /** Secret for callback signatures (X-Webhook-Signature). */
  webhookSecret = 'kie-webhook-secret';
  readonly tasks = new Map<string, Task>();
  private counter = 0;

  protected override isFaultExempt(path: string): boolean {
    return path.startsWith('/files/');
  }

  protected async handle(request: RecordedRequest, res: ServerResponse, fault: Fault<KieFault> | undefined, credential: string | undefined) {
    const headers = { 'x-request-id': `kie_req_${this.requests.length}` };
    if (this.handleTransportFault(res, fault, headers)) return;
    if (request.path.startsWith('/files/')) return this.serveFile(request, res);
    const reply = (code: number, msg: string, data: unknown = null) => this.sendJson(res, 200, { code, msg, data }, headers);
    if (fault?.name === 'http_status') return this.sendJson(res, Number(fault.status ?? 500), { code: Number(fault.status ?? 500), msg: 'upstream error' }, headers);
    if (credential !== `Bearer ${this.apiKey}`) return reply(401, 'You do not have access permissions');
    if (fault?.name === 'code') return reply(Number(fault.code), String(fault.msg ?? `fake error ${fault.code}`));

    if (request.method === 'POST' && request.path === '/api/v1/jobs/createTask') {
      const body = request.json ?? {};
      const input = (body.input ?? {}) as Record<string, unknown>;
      if (!KIE_MODELS.includes(String(body.model))) return reply(422, `model is not supported: ${String(body.model)}`);
      if (typeof input.prompt !== 'string' || !input.prompt || input.prompt.length > 20_000) return reply(422, 'input.prompt is required (max 20000 characters)');
      if (input.aspect_ratio !== undefined && !RATIOS.includes(String(input.aspect_ratio))) return reply(422, 'input.aspect_ratio is invalid');
      if (input.resolution !== undefined && !LONG_EDGE[String(input.resolution)]) return reply(422, 'input.resolution is invalid');
      const urls = input.input_urls;
      if (body.model === 'gpt-image-2-image-to-image' && (!Array.isArray(urls) || urls.length === 0 || urls.length > 16)) return reply(422, 'input.input_urls needs 1 to 16 URLs');
      this.counter += 1;
      const taskId = `task_fake_${this.counter}`;
      const failFault = fault?.name === 'fail_task' ? { failCode: String(fault.failCode ?? '500'), failMsg: String(fault.failMsg ?? 'Generation failed') } : undefined;
      this.tasks.set(taskId, { taskId, model: String(body.model), input, polls: 0, pollsNeeded: this.pollsUntilDone, fail: failFault, callBackUrl: body.callBackUrl as string | undefined });
      return reply(200, 'success', { taskId });
    }
    if (request.method === 'GET' && request.path === '/api/v1/jobs/recordInfo') {
      const task = this.tasks.get(request.query.taskId ?? '');
      if (!task) return reply(404, 'task not found');
      task.polls += 1;
      return reply(200, 'success', this.record(task));
    }
    return this.sendJson(res, 404, { code: 404, msg: 'Not Found' }, headers);
  }

  /** The recordInfo / callback payload of a task at its current state. */
  record(task: Task): Record<string, unknown> {
    const done = task.polls >= task.pollsNeeded;
    const state = !done ? (task.polls === 0 ? 'waiting' : 'generating') : task.fail ? 'fail' : 'success';
    const resultUrls = [`${this.url}/files/${task.taskId}.png`];
    return {
      taskId: task.taskId,
      model: task.model,
      state,
      param: JSON.stringify({ model: task.model, input: task.input }),
      resultJson: state === 'success' ? JSON.stringify({ resultUrls }) : '',
      failCode: state === 'fail' ? task.fail!.failCode : null,
      failMsg: state === 'fail' ? task.fail!.failMsg : null,
      costTime: done ? 1234 : null,
      createTime: Date.now(),
      updateTime: Date.now(),
      completeTime: done ? Date.now() : null,
    };
  }

  /** POSTs the task's final record to `url` `times` times, signed like kie.ai (optionally with a bad signature). */
  async sendCallback(taskId: string, url: string, options: { times?: number; badSignature?: boolean; timestamp?: number } = {}): Promise<number[]> {
    const task = this.tasks.get(taskId);
    if (!task) throw new Error(`fake kie: no task ${taskId}`);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < (options.times ?? 1); attempt += 1) {
      const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', options.badSignature ? 'wrong-secret' : this.webhookSecret).update(`${taskId}.${timestamp}`).digest('base64');
      const payload = JSON.stringify({ code: 200, msg: 'success', data: { ...this.record({ ...task, polls: Math.max(task.polls, task.pollsNeeded) }) } });
      statuses.push(
        await new Promise<number>((resolve, reject) => {
          const outgoing = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-timestamp': timestamp, 'x-webhook-signature': signature } }, (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          });
          outgoing.on('error', reject);
          outgoing.end(payload);
        })
      );
    }
    return statuses;
  }

  private async serveFile(request: RecordedRequest, res: ServerResponse) {
    const taskId = request.path.replace(/^\/files\//, '').replace(/\.png$/, '');
    const task = this.tasks.get(taskId);
    if (!task) return this.sendJson(res, 404, { code: 404, msg: 'no such file' });
    const { width, height } = kieImageSize(String(task.input.aspect_ratio ?? 'auto'), String(task.input.resolution ?? '1K'));
    const image = await makeImage(width, height, 'png', this.counter);
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(image.length) });
    res.end(image);
  }
}
