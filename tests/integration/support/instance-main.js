/**
 * Entry point of one playground Strapi process started by `instances.ts`: the same app the integration
 * tests boot in-process, here listening on PORT so several processes can share one database.
 */
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '../../../playground');
createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false })
  .start()
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
