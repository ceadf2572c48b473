export default {
  // No outside requests from the admin (GitHub releases, tutorials): the playground runs offline.
  config: { locales: ['fr'], notifications: { releases: false }, tutorials: false },
  bootstrap() {},
};
