/** A local HTTP server standing in for a site that Strapi webhooks call (127.0.0.1, ephemeral port). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  event: string;
  raw: string;
  body: Record<string, any>;
}

export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      received.push({ event: String(req.headers['x-strapi-event']), raw, body: JSON.parse(raw || '{}') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/revalidate`,
    received,
    of: (event: string, filter: (body: Record<string, any>) => boolean = () => true) => received.filter((hook) => hook.event === event && filter(hook.body)),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
