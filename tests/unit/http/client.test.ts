import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient, joinUrl } from '../../../server/src/http/client';
import { redact } from '../../../server/src/http/errors';
import {
  AbortedError,
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  isRetryable,
  MalformedResponseError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitedError,
  ServerError,
  TimeoutError,
} from '../../../server/src/providers/errors';
import { rejectionOf } from '../providers/support';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('http/client', () => {
  let server: http.Server;
  let baseUrl: string;
  let handler: Handler;
  let received: number;
  let connections: number;

  beforeEach(async () => {
    received = 0;
    connections = 0;
    server = http.createServer((req, res) => {
      received += 1;
      req.resume();
      req.on('end', () => handler(req, res));
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const client = (options: { timeoutMs?: number; maxResponseBytes?: number } = {}) => createHttpClient({ baseUrl, label: 'TestAPI', secrets: ['sk-secret-value-123'], ...options });
  const reply = (status: number, body: string, headers: Record<string, string> = {}): Handler => (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body);
  };

  describe('joinUrl', () => {
    it.each([
      ['https://api.example.com/v1', 'images/generations', 'https://api.example.com/v1/images/generations'],
      ['https://api.example.com/v1/', '/images/edits', 'https://api.example.com/v1/images/edits'],
      ['https://r.openai.azure.com/openai/v1/', 'images/generations', 'https://r.openai.azure.com/openai/v1/images/generations'],
    ])('joins %s and %s', (base, path, expected) => {
      expect(joinUrl(base, path).toString()).toBe(expected);
    });
  });

  describe('send', () => {
    it('resolves with status, body, request id, rate limits and retry hint', async () => {
      handler = reply(429, '{"ok":false}', { 'x-request-id': 'req_9', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '2s' });
      const response = await client().send({ method: 'POST', path: 'images/generations', json: { a: 1 } });
      expect(response).toMatchObject({ status: 429, requestId: 'req_9', retryAfterMs: 2000, rateLimit: { requests: { remaining: 0, resetMs: 2000 } } });
      expect(client().json(response)).toEqual({ ok: false });
    });

    it('reuses keep-alive connections for sequential requests', async () => {
      handler = reply(200, '{}');
      const shared = client();
      for (let index = 0; index < 6; index += 1) await shared.send({ method: 'GET', path: 'x' });
      expect(received).toBe(6);
      // undici may open a second socket while the first is being released; it never opens one per request.
      expect(connections).toBeLessThanOrEqual(2);
    });

    it.each([
      ['the server resets the connection', ((req, res) => res.socket?.destroy()) as Handler, ConnectionError],
      ['the body is cut off', ((req, res) => {
        res.writeHead(200, { 'content-length': '1000' });
        res.write('{"partial":');
        setTimeout(() => res.socket?.destroy(), 5);
      }) as Handler, MalformedResponseError],
      ['the server answers 500', reply(500, '{}'), 500],
      ['the server answers 503', reply(503, '{}', { 'retry-after': '1' }), 503],
      ['the server answers 429', reply(429, '{}', { 'retry-after': '1' }), 429],
    ])('never repeats a request when %s', async (_case, failing, outcome) => {
      handler = failing;
      for (const method of ['POST', 'GET'] as const) {
        received = 0;
        const attempt = client().send({ method, path: 'images/generations', json: method === 'POST' ? {} : undefined });
        if (typeof outcome === 'number') expect((await attempt).status).toBe(outcome);
        else expect(await rejectionOf(attempt)).toBeInstanceOf(outcome);
        expect(received).toBe(1);
      }
    });

    it('fails with a retryable TimeoutError when the server never answers', async () => {
      handler = () => undefined;
      const started = Date.now();
      const error = await rejectionOf(client({ timeoutMs: 200 }).send({ method: 'POST', path: 'x', json: {} }));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(isRetryable(error)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(received).toBe(1);
    });

    it('fails with a non-retryable AbortedError when the caller aborts mid-flight', async () => {
      handler = () => undefined;
      const controller = new AbortController();
      const attempt = client().send({ method: 'POST', path: 'x', json: {}, signal: controller.signal });
      const deadline = Date.now() + 5000;
      while (received === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      const error = await rejectionOf(attempt);
      expect(error).toBeInstanceOf(AbortedError);
      expect(isRetryable(error)).toBe(false);
    });

    it('sends nothing when the signal is already aborted', async () => {
      handler = reply(200, '{}');
      const controller = new AbortController();
      controller.abort();
      expect(await rejectionOf(client().send({ method: 'POST', path: 'x', json: {}, signal: controller.signal }))).toBeInstanceOf(AbortedError);
      expect(received).toBe(0);
    });

    it('fails with ConnectionError when nothing listens on the port', async () => {
      const closed = http.createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const error = await rejectionOf(createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, label: 'TestAPI' }).send({ method: 'GET', path: 'x' }));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toBe('Could not connect to TestAPI. Check the URL and the network.');
    });

    it('refuses an answer larger than maxResponseBytes', async () => {
      handler = reply(200, JSON.stringify({ data: 'x'.repeat(5000) }));
      expect(await rejectionOf(client({ maxResponseBytes: 1000 }).send({ method: 'GET', path: 'x' }))).toBeInstanceOf(MalformedResponseError);
    });
  });

  describe('errorForStatus via providers', () => {
    it.each([
      [400, InvalidRequestError],
      [401, AuthenticationError],
      [403, PermissionDeniedError],
      [404, ModelNotFoundError],
      [408, TimeoutError],
      [409, ServerError],
      [429, RateLimitedError],
      [500, ServerError],
      [502, ServerError],
      [503, OverloadedError],
    ])('maps HTTP %i to %p', async (status, errorClass) => {
      const { errorForStatus } = await import('../../../server/src/http/errors');
      expect(errorForStatus(status, 'TestAPI', '', {})).toBeInstanceOf(errorClass);
    });
  });

  describe('redact', () => {
    it('removes known secrets and key-shaped strings', () => {
      expect(redact('key sk-secret-value-123 and sk-proj-ABCDEFGH12345678 and Bearer abcdefghijkl', ['sk-secret-value-123'])).toBe(
        'key [redacted] and [redacted] and [redacted]'
      );
    });
  });
});
