export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    // Playground-only fallbacks so the demo runs with no .env; a real app sets these in its environment.
    keys: env.array('APP_KEYS', ['playgroundKeyA', 'playgroundKeyB']),
  },
  // Tests point uploads at a temp folder so runs never leave files in the repo.
  dirs: { public: env('PUBLIC_DIR', './public') },
  logger: { updates: { enabled: false }, startup: { enabled: false } },
});
