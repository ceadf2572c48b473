/**
 * Boots the playground Strapi with its built admin panel on a free 127.0.0.1 port, for the browser tests.
 * Same temp database, uploads folder and plugin config as the integration boot (tests/integration/support).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import {
  PLAYGROUND_DIST,
  preparePlayground,
  removeWorkDir,
  startPrepared,
  type BootOptions,
  type TestApp,
} from '../../integration/support/playground';

export interface AdminServer extends TestApp {
  /** http://127.0.0.1:<port>, with no trailing slash. */
  baseUrl: string;
  /** Stops Strapi and removes its temp folder. */
  close(): Promise<void>;
}

/** A port the OS just handed out on 127.0.0.1 (closed again, so Strapi can take it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const ADMIN_BUILD = path.join(PLAYGROUND_DIST, 'build', 'index.html');

export async function bootAdminServer(options: BootOptions): Promise<AdminServer> {
  if (!existsSync(ADMIN_BUILD)) {
    throw new Error(`The playground admin is not built (${ADMIN_BUILD} is missing): run \`npm run build:playground\` first.`);
  }
  const port = await freePort();
  const prepared = await preparePlayground({
    ...options,
    serveAdminPanel: true,
    // Server warnings (e.g. a provider that is down on purpose) are expected here; the browser is what is checked.
    env: { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error', ...options.env },
  });
  // load() + listen() rather than start(): start() calls process.exit() on a failed boot, which would kill jest.
  const app = await startPrepared(prepared, async (strapi) => {
    await strapi.load();
    await strapi.listen();
  });
  return {
    ...app,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await app.stop();
      removeWorkDir(app.workDir);
    },
  };
}
