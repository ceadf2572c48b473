import path from 'path';

/**
 * SQLite by default (the demo and CI). DATABASE_CLIENT=postgres with DATABASE_URL runs the same app on
 * PostgreSQL (`TEST_DATABASE=postgres npm run test:integration`).
 */
export default ({ env }) => {
  if (env('DATABASE_CLIENT', 'sqlite') === 'postgres') {
    return { connection: { client: 'postgres', connection: { connectionString: env('DATABASE_URL') }, pool: { min: 0, max: 10 } } };
  }
  return {
    connection: {
      client: 'sqlite',
      connection: {
        // Tests point this at a temp file per boot.
        filename: path.resolve(__dirname, '..', '..', env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
    },
  };
};
