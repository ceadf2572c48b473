// LOG_LEVEL lets tests keep output short; the demo logs at info.
export default ({ env }) => ({ level: env('LOG_LEVEL', 'info') });
