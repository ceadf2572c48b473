/**
 * Boots the real playground Strapi (with the built plugin) on a temp SQLite file (or a PostgreSQL / MySQL
 * database per work dir, see TEST_DATABASE) and a temp uploads folder,
 * with the plugin config given by the test. The plugin must be built first (`npm test` does it).
 */
import { existsSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';

export const PLAYGROUND_DIR = path.resolve(__dirname, '../../../playground');
export const PLAYGROUND_DIST = path.join(PLAYGROUND_DIR, 'dist');

export interface TestApp {
  strapi: Core.Strapi;
  workDir: string;
  dbFile: string;
  publicDir: string;
  stop(): Promise<void>;
}

export interface BootOptions {
  config: Record<string, unknown>;
  /** Reuse the database and uploads of an earlier boot (restart scenarios). */
  workDir?: string;
  /** Extra env for this boot (e.g. provider keys); restored after stop. */
  env?: Record<string, string>;
}

/** A playground app created but not loaded yet, with its temp files and the env it was created under. */
export interface PreparedApp {
  app: Core.Strapi;
  workDir: string;
  dbFile: string;
  publicDir: string;
  restoreEnv(): void;
}

let compiled: Promise<void> | null = null;

/** Compiles the playground's TypeScript (config, api) once per jest worker. */
export function compilePlayground(): Promise<void> {
  compiled ??= (async () => {
    const { compileStrapi } = await import('@strapi/strapi');
    await compileStrapi({ appDir: PLAYGROUND_DIR, ignoreDiagnostics: true } as never);
  })();
  return compiled;
}

/**
 * TEST_DATABASE=postgres runs the same tests on PostgreSQL (TEST_DATABASE_URL, default a local server with
 * user/password postgres). Each work dir gets its own database, so restart tests reuse theirs.
 */
export async function postgresEnv(workDir: string): Promise<Record<string, string>> {
  const base = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres');
  const database = `ai_assets_${path.basename(workDir).replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  const { Client } = await import('pg');
  const client = new Client({ connectionString: base.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  base.pathname = `/${database}`;
  return { DATABASE_CLIENT: 'postgres', DATABASE_URL: base.toString() };
}

/** TEST_DATABASE=mysql: the same on MySQL/MariaDB (TEST_MYSQL_URL, default the user `scripts/start-mysql.sh` creates). */
export async function mysqlEnv(workDir: string): Promise<Record<string, string>> {
  const base = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://ai_assets:ai_assets@127.0.0.1:3306/mysql');
  const database = `ai_assets_${path.basename(workDir).replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  const mysql = await import('mysql2/promise');
  const connection = await mysql.createConnection({
    host: base.hostname,
    port: Number(base.port || 3306),
    user: decodeURIComponent(base.username),
    password: decodeURIComponent(base.password),
  });
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
  base.pathname = `/${database}`;
  return { DATABASE_CLIENT: 'mysql', DATABASE_URL: base.toString() };
}

async function databaseEnv(workDir: string): Promise<Record<string, string>> {
  if (process.env.TEST_DATABASE === 'postgres') return postgresEnv(workDir);
  if (process.env.TEST_DATABASE === 'mysql') return mysqlEnv(workDir);
  return {};
}

export function newWorkDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ai-assets-it-'));
}

/**
 * Writes the plugin config and temp folders, points the playground's env vars at them and creates the app.
 * Shared by the integration boot (no port) and the browser-test boot (admin panel on a port).
 */
export async function preparePlayground(options: BootOptions & { serveAdminPanel: boolean }): Promise<PreparedApp> {
  await compilePlayground();
  const workDir = options.workDir ?? newWorkDir();
  const dbFile = path.join(workDir, 'data.db');
  const publicDir = path.join(workDir, 'public');
  mkdirSync(path.join(publicDir, 'uploads'), { recursive: true });
  const configFile = path.join(workDir, 'ai-assets.json');
  writeFileSync(configFile, JSON.stringify(options.config));

  const env: Record<string, string> = {
    DATABASE_FILENAME: dbFile,
    PUBLIC_DIR: publicDir,
    AI_ASSETS_CONFIG_FILE: configFile,
    STRAPI_TELEMETRY_DISABLED: 'true',
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...(await databaseEnv(workDir)),
    ...options.env,
  };
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const restoreEnv = () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };

  const { createStrapi } = await import('@strapi/strapi');
  const app = createStrapi({
    appDir: PLAYGROUND_DIR,
    distDir: PLAYGROUND_DIST,
    autoReload: false,
    serveAdminPanel: options.serveAdminPanel,
  } as never);
  return { app, workDir, dbFile, publicDir, restoreEnv };
}

/**
 * Strapi loads plugins and the app's APIs in parallel: when a plugin's config validator throws, the API
 * loaders are still importing files. Wait (bounded) until every API of the app is registered, so no import
 * runs after the test that expected the failure has ended.
 */
async function settleLoaders(app: Core.Strapi): Promise<void> {
  const apiDir = path.join(PLAYGROUND_DIST, 'src', 'api');
  const expected = existsSync(apiDir) ? readdirSync(apiDir).length : 0;
  const deadline = Date.now() + 15_000;
  const registered = () => Object.keys((app.get('apis') as { getAll(): Record<string, unknown> }).getAll()).length;
  while (Date.now() < deadline && registered() < expected) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Runs `start` on a prepared app; a failure destroys it (no open database or timers for the next test). */
export async function startPrepared(prepared: PreparedApp, start: (app: Core.Strapi) => Promise<void>): Promise<TestApp> {
  const { app, workDir, dbFile, publicDir, restoreEnv } = prepared;
  try {
    await start(app);
  } catch (error) {
    await settleLoaders(app);
    await app.destroy().catch(() => undefined);
    restoreEnv();
    throw error;
  }
  return {
    strapi: app,
    workDir,
    dbFile,
    publicDir,
    async stop() {
      await app.destroy();
      restoreEnv();
    },
  };
}

export async function bootPlayground(options: BootOptions): Promise<TestApp> {
  const prepared = await preparePlayground({ ...options, serveAdminPanel: false });
  return startPrepared(prepared, async (app) => {
    await app.load();
    await app.server.mount();
  });
}

export function removeWorkDir(workDir: string): void {
  rmSync(workDir, { recursive: true, force: true });
}
