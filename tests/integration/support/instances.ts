/**
 * Several real Strapi processes of the playground on one database: each a child process on its own port,
 * all with the same plugin config file and uploads folder, so tests can race them and kill -9 them.
 * The database is the test run's: PostgreSQL with TEST_DATABASE=postgres (one database per cluster), else one
 * SQLite file, for a single process only (SQLite locks the file against a second writer process: several
 * instances need PostgreSQL or MySQL, see `multiInstanceDescribe`). The plugin must be built first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { compilePlayground, mysqlEnv, newWorkDir, postgresEnv, removeWorkDir } from './playground';
import { PASSWORD } from './admin';
import { waitFor } from './wait';

const MAIN = path.join(__dirname, 'instance-main.js');

export interface Instance {
  readonly index: number;
  readonly port: number;
  readonly url: string;
  /** The running child, or null after kill/stop. */
  child: ChildProcess | null;
  /** Output of the process (stdout + stderr), for failure messages. */
  readonly output: string[];
  /** An HTTP call as the cluster's super admin (token taken at start). */
  call(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** kill -9: no shutdown hook runs, leases stay as they were. */
  kill(): Promise<void>;
  /** SIGTERM: Strapi's destroy runs (in-flight jobs released). */
  stop(): Promise<void>;
  /** Starts the process again on the same port (after kill/stop). */
  restart(): Promise<void>;
}

export interface Cluster {
  readonly workDir: string;
  readonly publicDir: string;
  readonly instances: Instance[];
  readonly token: string;
  /** A connection of the test to the shared database (closed by `close`). */
  readonly db: Knex;
  readonly client: 'postgres' | 'mysql' | 'sqlite';
  /** Stops every process still running, closes `db` and removes the work dir. */
  close(): Promise<void>;
}

export interface ClusterOptions {
  count: number;
  config: Record<string, unknown>;
  env?: Record<string, string>;
  /** Milliseconds to wait for each process to answer /_health. */
  bootTimeoutMs?: number;
}

const EMAIL = 'cluster-admin@example.test';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function request(url: string, method: string, token: string | null, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as any };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** `describe` when the run's database can hold several Strapi processes, else `describe.skip`. */
const SERVER_DATABASES = ['postgres', 'mysql'];
export const multiInstanceDescribe: jest.Describe = SERVER_DATABASES.includes(process.env.TEST_DATABASE ?? '') ? describe : describe.skip;

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (options.count > 1 && !SERVER_DATABASES.includes(process.env.TEST_DATABASE ?? '')) throw new Error('several instances need TEST_DATABASE=postgres or mysql (SQLite allows one writer process)');
  await compilePlayground();
  const workDir = newWorkDir();
  const publicDir = path.join(workDir, 'public');
  mkdirSync(path.join(publicDir, 'uploads'), { recursive: true });
  const configFile = path.join(workDir, 'ai-assets.json');
  writeFileSync(configFile, JSON.stringify(options.config));
  const client = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : process.env.TEST_DATABASE === 'mysql' ? 'mysql' : 'sqlite';
  const dbFile = path.join(workDir, 'data.db');
  const databaseEnv = client === 'postgres' ? await postgresEnv(workDir) : client === 'mysql' ? await mysqlEnv(workDir) : { DATABASE_FILENAME: dbFile };
  const baseEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ...databaseEnv,
    PUBLIC_DIR: publicDir,
    AI_ASSETS_CONFIG_FILE: configFile,
    STRAPI_TELEMETRY_DISABLED: 'true',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...options.env,
  };
  const bootTimeoutMs = options.bootTimeoutMs ?? 60_000;
  let token = '';

  const makeInstance = (index: number, port: number): Instance => {
    const url = `http://127.0.0.1:${port}`;
    const instance: Instance = {
      index,
      port,
      url,
      child: null,
      output: [],
      call: (method, route, body) => request(`${url}${route}`, method, token, body),
      async kill() {
        const child = instance.child;
        if (!child) return;
        child.kill('SIGKILL');
        await exited(child);
        instance.child = null;
      },
      async stop() {
        const child = instance.child;
        if (!child) return;
        child.kill('SIGTERM');
        await exited(child);
        instance.child = null;
      },
      async restart() {
        if (instance.child) throw new Error(`instance ${index} is still running`);
        const child = spawn(process.execPath, [MAIN], { env: { ...baseEnv, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
        const keep = (chunk: Buffer) => {
          instance.output.push(chunk.toString());
          if (instance.output.length > 200) instance.output.shift();
        };
        child.stdout?.on('data', keep);
        child.stderr?.on('data', keep);
        instance.child = child;
        await waitFor(
          async () => {
            if (child.exitCode !== null) throw new Error(`instance ${index} exited with ${child.exitCode}: ${instance.output.join('').slice(-2000)}`);
            return (await fetch(`${url}/_health`)).status === 204;
          },
          { timeoutMs: bootTimeoutMs, intervalMs: 200, what: `instance ${index} on port ${port} to answer /_health` }
        );
      },
    };
    return instance;
  };

  const instances: Instance[] = [];
  const { default: knexFactory } = await import('knex');
  const db =
    client === 'postgres'
      ? knexFactory({ client: 'pg', connection: databaseEnv.DATABASE_URL, pool: { min: 0, max: 4 } })
      : client === 'mysql'
        ? knexFactory({ client: 'mysql2', connection: databaseEnv.DATABASE_URL, pool: { min: 0, max: 4 } })
        : knexFactory({ client: 'better-sqlite3', connection: { filename: dbFile }, useNullAsDefault: true });
  const close = async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await db.destroy();
    removeWorkDir(workDir);
  };
  try {
    // The first process creates the schema alone; the others then boot side by side.
    for (let index = 0; index < options.count; index += 1) instances.push(makeInstance(index, await freePort()));
    await instances[0].restart();
    await Promise.all(instances.slice(1).map((instance) => instance.restart()));
    const registered = await request(`${instances[0].url}/admin/register-admin`, 'POST', null, { email: EMAIL, firstname: 'Cluster', lastname: 'Admin', password: PASSWORD });
    if (registered.status !== 200 && registered.status !== 201) throw new Error(`register-admin: ${registered.status} ${JSON.stringify(registered.body)}\n${instances[0].output.join("").slice(-3000)}`);
    token = registered.body.data.token;
  } catch (error) {
    await close();
    throw error;
  }
  return {
    workDir,
    publicDir,
    instances,
    get token() {
      return token;
    },
    db,
    client,
    close,
  };
}

/** Article helpers through the Content Manager's HTTP routes, as an editor's browser calls them. */
export const ARTICLE_ROUTE = '/content-manager/collection-types/api::article.article';

export async function createArticleOver(instance: Instance, data: Record<string, unknown>, locale = 'en'): Promise<string> {
  const created = await instance.call('POST', `${ARTICLE_ROUTE}?locale=${locale}`, data);
  if (created.status !== 201 && created.status !== 200) throw new Error(`create article: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.data.documentId as string;
}

export function publishOver(instance: Instance, documentId: string, locale = 'en') {
  return instance.call('POST', `${ARTICLE_ROUTE}/${documentId}/actions/publish?locale=${locale}`, {});
}
