import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { downloadToBuffer, type DownloadOptions, isHostAllowed } from '../../../server/src/http/download';
import { AbortedError, InvalidRequestError, isRetryable, ServerError, TimeoutError } from '../../../server/src/providers/errors';
import { rejectionOf } from '../providers/support';

const IMAGE = Buffer.from('89504e470d0a1a0a-pretend-image-bytes');

describe('http/download', () => {
  let server: http.Server;
  let origin: string;
  let port: number;
  const seen: Array<{ path: string; host?: string }> = [];
  let routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;

  beforeEach(async () => {
    seen.length = 0;
    routes = {
      '/image.png': (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(IMAGE.length) });
        res.end(IMAGE);
      },
    };
    server = http.createServer((req, res) => {
      seen.push({ path: req.url ?? '', host: req.headers.host });
      (routes[req.url ?? ''] ?? ((_r, response) => response.writeHead(404).end()))(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const local = (extra: Partial<DownloadOptions> = {}): DownloadOptions => ({
    maxBytes: 1024,
    timeoutMs: 2000,
    allowHosts: ['127.0.0.1', 'images.example.test'],
    allowHttp: true,
    allowLoopback: true,
    ...extra,
  });

  describe('isHostAllowed', () => {
    it.each([
      ['cdn.example.com', ['cdn.example.com'], true],
      ['CDN.Example.com.', ['cdn.example.com'], true],
      ['a.b.example.com', ['*.example.com'], true],
      ['example.com', ['*.example.com'], false],
      ['evilexample.com', ['*.example.com'], false],
      ['example.com.evil.net', ['example.com'], false],
      ['::1', ['[::1]'], true],
    ])('%s against %j is %s', (host, allow, expected) => {
      expect(isHostAllowed(host, allow)).toBe(expected);
    });
  });

  describe('downloadToBuffer', () => {
    it('downloads an allowed file', async () => {
      expect(await downloadToBuffer(`${origin}/image.png`, local())).toEqual(IMAGE);
    });

    it('connects to the address it checked and sends the original Host', async () => {
      const resolveHost = jest.fn(async () => [{ address: '127.0.0.1', family: 4 }]);
      const data = await downloadToBuffer(`http://images.example.test:${port}/image.png`, local({ resolveHost }));
      expect(data).toEqual(IMAGE);
      expect(resolveHost).toHaveBeenCalledWith('images.example.test');
      expect(seen[0].host).toBe(`images.example.test:${port}`);
    });

    it.each([
      ['plain http without allowHttp', () => `${origin}/image.png`, { allowHttp: false }, 'download_insecure_url'],
      ['a host outside the allowlist', () => `${origin}/image.png`, { allowHosts: ['cdn.example.com'] }, 'download_blocked_host'],
      ['loopback without allowLoopback', () => `${origin}/image.png`, { allowLoopback: false }, 'download_blocked_address'],
      ['credentials in the URL', () => `http://user:pw@127.0.0.1:${port}/image.png`, {}, 'download_blocked_host'],
      ['a non-URL', () => 'not a url', {}, 'download_invalid_url'],
      ['a file: URL', () => 'file:///etc/passwd', {}, 'download_insecure_url'],
    ])('refuses %s before any request', async (_case, url, extra, providerCode) => {
      const error = await rejectionOf(downloadToBuffer(url(), local(extra)));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.providerCode).toBe(providerCode);
      expect(isRetryable(error)).toBe(false);
      expect(seen).toHaveLength(0);
    });

    it.each(['10.0.0.1', '10.255.0.9', '172.16.0.1', '172.31.1.1', '192.168.1.1', '169.254.169.254', '::1', 'fc00::1', 'fd00::5', 'fe80::1', '::ffff:10.0.0.1', '0.0.0.0', '::'])(
      'refuses a host that resolves to %s',
      async (address) => {
        const resolveHost = async () => [{ address, family: address.includes(':') ? 6 : 4 }];
        const error = await rejectionOf(downloadToBuffer(`https://images.example.test/image.png`, local({ resolveHost, allowLoopback: false })));
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect(error.providerCode).toBe('download_blocked_address');
      }
    );

    it.each(['10.0.0.1', '192.168.0.10', '[fc00::1]', '[fe80::1]', '[::ffff:10.0.0.1]', '169.254.169.254'])('refuses the private IP literal %s', async (host) => {
      const error = await rejectionOf(downloadToBuffer(`https://${host}/image.png`, local({ allowHosts: [host] })));
      expect(error.providerCode).toBe('download_blocked_address');
    });

    it('refuses a name with one public and one private address', async () => {
      const resolveHost = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }];
      const error = await rejectionOf(downloadToBuffer('https://images.example.test/image.png', local({ resolveHost })));
      expect(error.providerCode).toBe('download_blocked_address');
    });

    it('follows an allowed redirect', async () => {
      routes['/moved'] = (_req, res) => res.writeHead(302, { location: '/image.png' }).end();
      expect(await downloadToBuffer(`${origin}/moved`, local())).toEqual(IMAGE);
      expect(seen.map((entry) => entry.path)).toEqual(['/moved', '/image.png']);
    });

    it.each([
      ['a disallowed host', 'https://evil.example.net/x.png', 'download_blocked_host'],
      ['a private address named in the allowlist', 'http://10.0.0.1/x.png', 'download_blocked_address'],
      ['a file: URL', 'file:///etc/passwd', 'download_insecure_url'],
    ])('refuses a redirect to %s', async (_case, target, providerCode) => {
      routes['/moved'] = (_req, res) => res.writeHead(301, { location: target }).end();
      const error = await rejectionOf(downloadToBuffer(`${origin}/moved`, local({ allowHosts: ['127.0.0.1', '10.0.0.1'] })));
      expect(error.providerCode).toBe(providerCode);
      expect(seen).toHaveLength(1);
    });

    it('stops after 3 redirects', async () => {
      routes['/loop'] = (_req, res) => res.writeHead(302, { location: '/loop' }).end();
      const error = await rejectionOf(downloadToBuffer(`${origin}/loop`, local()));
      expect(error.providerCode).toBe('download_too_many_redirects');
      expect(seen).toHaveLength(4);
    });

    it('refuses a declared size over the cap', async () => {
      routes['/big'] = (_req, res) => res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000));
      expect((await rejectionOf(downloadToBuffer(`${origin}/big`, local()))).providerCode).toBe('download_too_large');
    });

    it('stops streaming once an undeclared size passes the cap', async () => {
      routes['/stream'] = (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        const timer = setInterval(() => res.write(Buffer.alloc(512)), 5);
        res.on('close', () => clearInterval(timer));
      };
      expect((await rejectionOf(downloadToBuffer(`${origin}/stream`, local()))).providerCode).toBe('download_too_large');
    });

    it('gives up with TimeoutError when the whole download takes longer than timeoutMs', async () => {
      routes['/slow'] = (_req, res) => {
        res.writeHead(200, { 'content-type': 'image/png' });
        const timer = setInterval(() => res.write(Buffer.alloc(8)), 50);
        res.on('close', () => clearInterval(timer));
      };
      const started = Date.now();
      const error = await rejectionOf(downloadToBuffer(`${origin}/slow`, local({ timeoutMs: 300, maxBytes: 1_000_000 })));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('maps a 404 to a non-retryable error and a 503 to a retryable one', async () => {
      routes['/down'] = (_req, res) => res.writeHead(503).end();
      expect(isRetryable(await rejectionOf(downloadToBuffer(`${origin}/missing`, local())))).toBe(false);
      expect(await rejectionOf(downloadToBuffer(`${origin}/down`, local()))).toBeInstanceOf(ServerError);
    });

    it('rejects with AbortedError when the signal aborts', async () => {
      routes['/hang'] = () => undefined;
      const controller = new AbortController();
      const attempt = downloadToBuffer(`${origin}/hang`, local({ signal: controller.signal }));
      const deadline = Date.now() + 5000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      expect(await rejectionOf(attempt)).toBeInstanceOf(AbortedError);
    });
  });
});
