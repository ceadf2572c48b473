/**
 * Headless Chromium on the playground admin: one persistent context per session (fresh temp profile),
 * login through the real form, screenshots, and the problems a page ran into (page errors, console errors,
 * failed plugin requests, requests that tried to leave 127.0.0.1).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page, type Request } from 'playwright-core';
import { PASSWORD } from '../../integration/support/admin';

export const SCREENSHOT_DIR = path.resolve(__dirname, '../screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Any host but the local server resolves to nothing: the admin must work offline.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/**
 * Console errors that are Strapi's own and unrelated to this plugin. Each entry says why it is tolerated;
 * anything else (including any error mentioning ai-assets) fails the test.
 */
const STRAPI_NOISE: Array<{ pattern: RegExp; why: string }> = [
  // The admin asks the server for AI features of Strapi's own (CMS AI); this app has none, so: 404 in the console.
  { pattern: /\/admin\/ai-feature-config/, why: 'Strapi CMS AI feature probe answers 404' },
  // The edit view asks for a preview URL; the playground configures no preview, so Strapi answers 404.
  { pattern: /\/content-manager\/preview\/url\//, why: 'content preview is not configured in the playground' },
  // Strapi's own French catalogue is incomplete; a missing message for one of OUR ids ("ai-assets.…") still fails.
  { pattern: /MISSING_TRANSLATION\] Missing message: "(?!ai-assets\.)/, why: 'Strapi core/plugin messages missing in fr' },
  // The i18n plugin asks for its AI translation jobs of the entry; without Strapi AI it answers 404.
  { pattern: /\/i18n\/ai-localization-jobs\//, why: 'Strapi AI localization is not enabled' },
];

export interface Problem {
  kind: 'pageerror' | 'console' | 'request' | 'outside';
  text: string;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  baseUrl: string;
  /** Opens a path of the server (e.g. '/admin/plugins/ai-assets') and waits for the document. */
  open(pathname: string): Promise<void>;
  login(email: string): Promise<void>;
  /** Saves a full-page PNG to tests/e2e/screenshots/<name>.png. */
  screenshot(name: string): Promise<string>;
  /** The problems seen since the last call (the list is emptied). */
  takeProblems(): Problem[];
  close(): Promise<void>;
}

const isLocal = (url: string) => {
  if (!/^(https?|wss?):/.test(url)) return true;
  return new URL(url).hostname === '127.0.0.1';
};

function consoleLocation(message: ConsoleMessage): string {
  const { url } = message.location();
  return url ? ` (${url})` : '';
}

export async function openBrowser(baseUrl: string, { locale }: { locale?: string } = {}): Promise<BrowserSession> {
  const profileDir = mkdtempSync(path.join(tmpdir(), 'ai-assets-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
  });
  const problems: Problem[] = [];

  if (locale) {
    // Strapi reads the admin language from localStorage before it renders.
    await context.addInitScript((language) => window.localStorage.setItem('strapi-admin-language', language), locale);
  }

  context.on('request', (request) => {
    if (!isLocal(request.url())) problems.push({ kind: 'outside', text: `${request.method()} ${request.url()}` });
  });
  context.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed';
    // ERR_ABORTED: a poll cut short by a navigation, not a failure of the server.
    if (request.url().includes('/ai-assets') && reason !== 'net::ERR_ABORTED') {
      problems.push({ kind: 'request', text: `${request.method()} ${request.url()}: ${reason}` });
    }
  });
  context.on('response', (response) => {
    if (response.url().includes('/ai-assets') && response.status() >= 400) {
      problems.push({ kind: 'request', text: `${response.request().method()} ${response.url()}: HTTP ${response.status()}` });
    }
  });

  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: error.stack ?? error.message }));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = `${message.text()}${consoleLocation(message)}`;
      if (STRAPI_NOISE.some(({ pattern }) => pattern.test(text))) return;
      problems.push({ kind: 'console', text });
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);

  const session: BrowserSession = {
    context,
    page,
    baseUrl,
    async open(pathname) {
      await page.goto(`${baseUrl}${pathname}`, { waitUntil: 'domcontentloaded' });
    },
    async login(email) {
      await session.open('/admin/auth/login');
      await page.locator('input[name="email"]').fill(email);
      await page.locator('input[name="password"]').fill(PASSWORD);
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((url) => url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/auth'), { timeout: 30_000 });
    },
    async screenshot(name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    takeProblems() {
      return problems.splice(0, problems.length);
    },
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
  return session;
}

export interface RequestWatch {
  /** `METHOD url` of each matching request seen so far. */
  readonly seen: string[];
  stop(): void;
}

/** Records the page's requests that match, from now until stop(). */
export function watchRequests(page: Page, matches: (request: Request) => boolean): RequestWatch {
  const seen: string[] = [];
  const listener = (request: Request) => {
    if (matches(request)) seen.push(`${request.method()} ${request.url()}`);
  };
  page.on('request', listener);
  return { seen, stop: () => page.off('request', listener) };
}

/**
 * The matching requests the page makes during a fixed observation window. For "nothing happens any more" checks
 * (polling has stopped): the window is the measurement, not a wait for something to be ready.
 */
export async function requestsDuring(page: Page, matches: (request: Request) => boolean, windowMs: number): Promise<string[]> {
  const watch = watchRequests(page, matches);
  try {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
  } finally {
    watch.stop();
  }
  return watch.seen;
}
