/**
 * Base of the fake provider servers: a real node:http server on 127.0.0.1 (ephemeral port) that records
 * every request (auth values removed), parses JSON and multipart bodies, and runs injected faults.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export interface RecordedImage {
  width: number;
  height: number;
  format: string;
  hasAlpha: boolean;
  /** Whether at least one pixel is not fully opaque. */
  usesAlpha: boolean;
}

export interface RecordedPart {
  name: string;
  value?: string;
  filename?: string;
  type?: string;
  size?: number;
  image?: RecordedImage;
}

export interface RecordedRequest {
  /** Epoch ms when the request arrived (retry-after checks). */
  receivedAt: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased; `authorization` / `api-key` values replaced by "<redacted>". */
  headers: Record<string, string>;
  json?: Record<string, unknown>;
  parts?: RecordedPart[];
  rawBody: Buffer;
  /** Epoch ms when the whole answer was written (the caller got, and paid for, a result); unset otherwise. */
  completedAt?: number;
}

export interface Fault<Name extends string = string> {
  name: Name;
  /** Only requests whose path contains this string consume the fault. */
  path?: string;
  retryAfterSeconds?: number;
  retryAfterMs?: number;
  [option: string]: unknown;
}

const SECRET_HEADERS = new Set(['authorization', 'api-key', 'x-api-key']);

export async function describeImage(data: Buffer): Promise<RecordedImage | undefined> {
  try {
    const image = sharp(data);
    const metadata = await image.metadata();
    let usesAlpha = false;
    if (metadata.hasAlpha) usesAlpha = (await image.stats()).channels[metadata.channels! - 1].min < 255;
    return { width: metadata.width!, height: metadata.height!, format: metadata.format!, hasAlpha: Boolean(metadata.hasAlpha), usesAlpha };
  } catch {
    return undefined;
  }
}

/** Real image bytes of the given size; a solid colour keeps big sizes cheap. */
export function makeImage(width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png', seed = 0): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 3, background: { r: (seed * 53) % 256, g: 120, b: 200 } } });
  return (format === 'jpeg' ? image.jpeg() : format === 'webp' ? image.webp() : image.png()).toBuffer();
}

async function parseBody(req: IncomingMessage, rawBody: Buffer): Promise<Pick<RecordedRequest, 'json' | 'parts'>> {
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('application/json')) {
    try {
      return { json: JSON.parse(rawBody.toString('utf8')) };
    } catch {
      return { json: undefined };
    }
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(rawBody, { headers: { 'content-type': type } }).formData();
    const parts: RecordedPart[] = [];
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        parts.push({ name, value });
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        parts.push({ name, filename: value.name, type: value.type, size: data.length, image: await describeImage(data) });
      }
    }
    return { parts };
  }
  return {};
}

export abstract class FakeServer<FaultName extends string> {
  readonly requests: RecordedRequest[] = [];
  /** Artificial latency before each answer (for abort tests). */
  delayMs = 0;
  private readonly server = http.createServer((req, res) => void this.dispatch(req, res));
  private readonly faults: Array<{ fault: Fault<FaultName>; remaining: number }> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queue a fault for the next `times` matching requests (in injection order). */
  inject(fault: FaultName | Fault<FaultName>, options: { times?: number } = {}): this {
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('fake: times must be a positive integer');
    this.faults.push({ fault: typeof fault === 'string' ? { name: fault } : fault, remaining: times });
    return this;
  }

  requestsTo(pathPart: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path.includes(pathPart));
  }

  /** Resolves once `count` requests matching `pathPart` arrived, or rejects at the deadline. */
  async waitForRequests(pathPart: string, count = 1, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.requestsTo(pathPart).length < count) {
      if (Date.now() > deadline) throw new Error(`fake: expected ${count} request(s) to ${pathPart}, saw ${this.requestsTo(pathPart).length}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** `credential` is the raw auth header value: checked by the fake, never recorded. */
  protected abstract handle(request: RecordedRequest, res: ServerResponse, fault: Fault<FaultName> | undefined, credential: string | undefined): Promise<void>;

  /** Paths that only take faults aimed at them explicitly (e.g. result files). */
  protected isFaultExempt(_path: string): boolean {
    return false;
  }

  protected later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  protected sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const payload = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers });
    res.end(payload);
  }

  /** Faults every API answers the same way; returns true when the fault was handled. */
  protected handleTransportFault(res: ServerResponse, fault: Fault<FaultName> | undefined, headers: Record<string, string>): boolean {
    if (!fault) return false;
    if (fault.name === 'hang') return true; // keep the socket open; stop() closes it
    if (fault.name === 'malformed_json') {
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      res.end('{"data": [ {"b64_json": "iVBOR');
      return true;
    }
    if (fault.name === 'truncated_body') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000', ...headers });
      res.write('{"created": 1, "data": [{"b64_json": "iVBORw0KGgo');
      this.later(10, () => res.destroy());
      return true;
    }
    return false;
  }

  private takeFault(path: string): Fault<FaultName> | undefined {
    const entry = this.faults.find((candidate) => (candidate.fault.path ? path.includes(candidate.fault.path) : !this.isFaultExempt(path)));
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.faults.splice(this.faults.indexOf(entry), 1);
    return entry.fault;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const headers: Record<string, string> = {};
    let credential: string | undefined;
    for (const [name, value] of Object.entries(req.headers)) {
      const text = Array.isArray(value) ? value.join(', ') : value ?? '';
      if (SECRET_HEADERS.has(name)) credential = text;
      headers[name] = SECRET_HEADERS.has(name) ? '<redacted>' : text;
    }
    const recorded: RecordedRequest = {
      receivedAt: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      rawBody,
      ...(await parseBody(req, rawBody)),
    };
    this.requests.push(recorded);
    res.once('finish', () => {
      recorded.completedAt = Date.now();
    });
    const fault = this.takeFault(recorded.path);
    const respond = () =>
      this.handle(recorded, res, fault, credential).catch((error: unknown) => {
        if (!res.headersSent) this.sendJson(res, 500, { error: { message: `fake crashed: ${String(error)}`, type: 'server_error' } });
      });
    if (this.delayMs > 0 && fault?.name !== 'hang') this.later(this.delayMs, () => void respond());
    else await respond();
  }
}
