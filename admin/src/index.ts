import type { StrapiApp } from '@strapi/strapi/admin';
import { Sparkle } from '@strapi/icons';

import { EditViewPanel } from './components/side-panel/EditViewPanel';
import { PERMISSIONS } from './permissions';
import { pluginId } from './pluginId';
import { getTranslation } from './utils/getTranslation';

type TranslationFile = { default: Record<string, string> };

const prefixTranslations = (messages: Record<string, string>) =>
  Object.fromEntries(Object.entries(messages).map(([key, value]) => [getTranslation(key), value]));

export default {
  register(app: StrapiApp) {
    app.registerPlugin({ id: pluginId, name: pluginId });

    app.addMenuLink({
      to: `plugins/${pluginId}`,
      icon: Sparkle,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'AI Assets' },
      permissions: PERMISSIONS.read,
      Component: () => import('./pages/App'),
    });

    app.addSettingsLink(
      { id: pluginId, intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'AI Assets' } },
      {
        id: `${pluginId}-settings`,
        to: pluginId,
        intlLabel: { id: getTranslation('settings.link'), defaultMessage: 'Providers & queue' },
        permissions: PERMISSIONS.settings,
        Component: () => import('./pages/SettingsPage'),
      }
    );
  },

  bootstrap(app: Pick<StrapiApp, 'getPlugin'>) {
    // The panel itself returns null for content types without rules (asks GET /ai-assets/content-types).
    const contentManager = app.getPlugin('content-manager');
    const apis = contentManager?.apis as { addEditViewSidePanel?: (panels: unknown[]) => void } | undefined;
    apis?.addEditViewSidePanel?.([EditViewPanel]);
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        try {
          const { default: data } = (await import(`./translations/${locale}.json`)) as TranslationFile;
          return { data: prefixTranslations(data), locale };
        } catch {
          // A locale we have no file for falls back to the default messages.
          return { data: {}, locale };
        }
      })
    );
  },
};
