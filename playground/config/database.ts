import path from 'path';

/**
 * SQLite by default (the demo and CI). DATABASE_CLIENT=postgres or mysql with DATABASE_URL runs the same app on
 * PostgreSQL or MySQL/MariaDB (`npm run test:postgres`, `npm run test:mysql`).
 */
export default ({ env }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');
  if (client === 'postgres') {
    return { connection: { client: 'postgres', connection: { connectionString: env('DATABASE_URL') }, pool: { min: 0, max: 10 } } };
  }
  if (client === 'mysql') {
    const url = new URL(env('DATABASE_URL'));
    return {
      connection: {
        client: 'mysql',
        connection: {
          host: url.hostname,
          port: Number(url.port || 3306),
          database: decodeURIComponent(url.pathname.slice(1)),
          user: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
        },
        pool: { min: 0, max: 10 },
      },
    };
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
