/**
 * What every browser test file starts from: the playground admin booted with a plugin config, a super admin with
 * an API client, and a browser logged in; after each test, the browser must have seen no problem.
 */
import { createSuperAdmin } from '../../integration/support/admin';
import { adminApi, type AdminApi } from './articles';
import { openBrowser, type BrowserSession } from './browser';
import { bootAdminServer, type AdminServer } from './server';

export const SUPER_ADMIN = 'super@example.test';

export interface AdminSession {
  server: AdminServer;
  /** The super admin's API client. */
  admin: AdminApi;
  browser: BrowserSession;
}

interface SessionOptions {
  /** Runs after the super admin exists and before the browser logs in (e.g. to create other users). */
  beforeLogin?: (session: Omit<AdminSession, 'browser'>) => Promise<void>;
  /** Who the browser logs in as (default: the super admin). */
  loginAs?: string;
}

/** Registers the describe's beforeAll / afterEach / afterAll; the returned session is filled in by beforeAll. */
export function setupAdminSession(pluginConfig: Record<string, unknown>, { beforeLogin, loginAs = SUPER_ADMIN }: SessionOptions = {}): AdminSession {
  const session = {} as AdminSession;
  beforeAll(async () => {
    session.server = await bootAdminServer({ config: pluginConfig });
    await createSuperAdmin(session.server.strapi, SUPER_ADMIN);
    session.admin = await adminApi(session.server.strapi, SUPER_ADMIN);
    await beforeLogin?.(session);
    session.browser = await openBrowser(session.server.baseUrl);
    await session.browser.login(loginAs);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  afterEach(() => {
    expect(session.browser.takeProblems()).toEqual([]);
  });
  return session;
}
