import fs from 'fs';
import path from 'path';

/**
 * The demo's plugin config: the contract from the README, on the offline `local` provider.
 * Tests replace the whole 'ai-assets' config with a JSON file named by AI_ASSETS_CONFIG_FILE.
 */
export const demoConfig = {
  providers: {
    studio: { type: 'local' },
  },
  defaultProvider: 'local',
  rules: [
    {
      id: 'article-cover',
      contentType: 'api::article.article',
      on: ['publish'],
      onlyIfEmpty: true,
      locales: ['en'],
      operation: 'generate',
      provider: 'studio',
      prompt: 'Editorial illustration for "{{title}}". {{summary}}',
      params: { size: '1536x1024', quality: 'medium' },
      output: { format: 'webp', quality: 82, width: 1200, height: 630, fit: 'cover' },
      target: 'cover',
      review: false,
      altText: '{{title}}',
      caption: 'Generated for {{title}}',
      folder: 'AI Assets/Article covers',
    },
    {
      // Held for review: the photo waits in the review queue until an editor approves it.
      id: 'article-photo-review',
      contentType: 'api::article.article',
      on: ['publish'],
      onlyIfEmpty: true,
      locales: ['en'],
      operation: 'generate',
      provider: 'studio',
      prompt: 'Documentary photograph for "{{title}}", natural light.',
      // A real provider's latency: the side panel and job page show its blurred-to-sharp partial frames.
      params: { size: '1024x1024', quality: 'low', delayMs: 4000 },
      output: { format: 'webp', quality: 80, width: 800, height: 800, fit: 'cover' },
      target: 'photo',
      review: true,
      altText: '{{title}}',
      folder: 'AI Assets/Article photos',
    },
  ],
  queue: { concurrency: 2, maxAttempts: 5, leaseMs: 30000, pollIntervalMs: 1000 },
};

export default ({ env }) => {
  const overrideFile = env('AI_ASSETS_CONFIG_FILE');
  const config = overrideFile ? JSON.parse(fs.readFileSync(overrideFile, 'utf8')) : demoConfig;
  return {
    'ai-assets': {
      enabled: true,
      // The plugin is this repository's root package (built to ../dist by `npm run build`). An absolute
      // path: Strapi tries require.resolve() first, which would read '..' relative to its own files.
      resolve: path.resolve(__dirname, fs.existsSync(path.resolve(__dirname, '../package.json')) ? '../..' : '../../..'),
      config,
    },
    // Users & Permissions (end users, roles, JWT auth on /api) is off by default: with it, a request without a
    // token is answered by its Public role (403) instead of Strapi's plain 401, which other tests pin. The
    // users-permissions roles test turns it on with PLAYGROUND_USERS_PERMISSIONS=true.
    ...(env.bool('PLAYGROUND_USERS_PERMISSIONS', false) ? { 'users-permissions': { enabled: true, resolve: '@strapi/plugin-users-permissions/package.json', config: { jwtSecret: env('JWT_SECRET', 'playgroundJwtSecret') } } } : {}),
  };
};
