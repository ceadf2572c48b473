/**
 * Content Releases in tests. In Strapi 5.54 the whole server side of `@strapi/content-releases` (services,
 * routes, the bootstrap that re-arms scheduled releases) is returned only when the licence enables the
 * `cms-content-releases` feature; without a licence the plugin registers just its content types (the tables
 * exist, nothing runs). To exercise the plugin's real publish and scheduling code on an unlicensed test app,
 * this registers the package's own service factories under `plugin::content-releases`, exactly where a
 * licensed app has them, so `strapi.plugin('content-releases').service(...)` (which the scheduler's cron task
 * itself calls) resolves to the unchanged code. Nothing about the licence is altered: routes, admin actions and
 * the boot-time re-arming stay off.
 */
import path from 'node:path';
import type { Core } from '@strapi/strapi';

type ReleaseServices = {
  release: {
    create(data: { name: string; scheduledAt?: Date | null; timezone?: string | null }, options: { user: unknown }): Promise<{ id: number; scheduledAt: string | null }>;
    publish(releaseId: number): Promise<unknown>;
  };
  'release-action': {
    create(releaseId: number, action: { type: 'publish' | 'unpublish'; contentType: string; entryDocumentId: string; locale?: string }): Promise<unknown>;
  };
  scheduling: { getAll(): Map<string, string> };
};

/** The content-releases services of a booted app, registered once (see above). */
export function releaseServices(strapi: Core.Strapi): ReleaseServices {
  const plugin = strapi.plugin('content-releases');
  if (!plugin.service('release')) {
    const serverDir = path.dirname(require.resolve('@strapi/content-releases/strapi-server'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { services } = require(path.join(serverDir, 'services/index.js'));
    strapi.get('services').add('plugin::content-releases', services);
  }
  return {
    release: plugin.service('release'),
    'release-action': plugin.service('release-action'),
    scheduling: plugin.service('scheduling'),
  } as unknown as ReleaseServices;
}
