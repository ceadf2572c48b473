#!/usr/bin/env bash
# Installs the packed plugin into a fresh Strapi 5 app, the way the README tells a user to, and checks that a
# published entry gets an image. The app is written here by hand in a temp folder (not the playground): SQLite,
# one content type with Draft & Publish and a media field, the offline `local` provider. Everything except this
# plugin comes from the npm registry. Exits non-zero if any step fails or the image does not arrive in time.
#
#   bash scripts/test-install.sh            # KEEP_TMP=1 keeps the temp app for a look afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STRAPI_VERSION=5.54.0
export STRAPI_TELEMETRY_DISABLED=true CI=true
started=$(date +%s)
step() { echo "[test-install +$(( $(date +%s) - started ))s] $*"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ai-assets-install.XXXXXX")
APP="$WORK/my-app"
STRAPI_PID=""
cleanup() {
  local rc=$?
  # Strapi runs in its own process group (setsid below): `npx` leaves `node strapi start` as a child that a
  # plain kill of the npx pid would orphan, so the whole group is signalled.
  if [ -n "$STRAPI_PID" ] && kill -0 -- "-$STRAPI_PID" 2>/dev/null; then
    kill -- "-$STRAPI_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$STRAPI_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 -- "-$STRAPI_PID" 2>/dev/null || true
  fi
  if [ "$rc" != 0 ] && [ -f "$WORK/strapi.log" ]; then echo "--- last lines of the app's log ---"; tail -n 60 "$WORK/strapi.log"; fi
  if [ "${KEEP_TMP:-}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
  echo "[test-install] $( [ "$rc" = 0 ] && echo PASSED || echo "FAILED (exit $rc)" ) in $(( $(date +%s) - started ))s"
}
trap cleanup EXIT

# 1. Pack, as README's "Install in your Strapi app" says (`prepare` builds dist/ first).
step "npm pack"
npm pack --pack-destination "$WORK" >"$WORK/pack.log" 2>&1 || { cat "$WORK/pack.log"; exit 1; }
TARBALL=$(ls "$WORK"/strapi-plugin-ai-assets-*.tgz)
LISTING=$(tar -tzf "$TARBALL")
for f in package/dist/server/index.js package/dist/admin/index.mjs package/README.md package/CHANGELOG.md package/LICENSE; do
  grep -qx "$f" <<<"$LISTING" || { echo "tarball lacks $f"; exit 1; }
done

# 2. A fresh Strapi app, written by hand.
step "writing a fresh Strapi $STRAPI_VERSION app in $APP"
mkdir -p "$APP/config" "$APP/public/uploads"
cp "$TARBALL" "$APP/"
cat >"$APP/package.json" <<JSON
{
  "name": "my-app",
  "private": true,
  "version": "0.0.0",
  "scripts": { "build": "strapi build", "start": "strapi start", "develop": "strapi develop" },
  "dependencies": {
    "@strapi/strapi": "$STRAPI_VERSION",
    "better-sqlite3": "12.4.1",
    "react": "^18.3.1",
    "react-dom": "^18.3.1",
    "react-router-dom": "^6.30.3",
    "styled-components": "^6.1.13"
  },
  "allowScripts": { "better-sqlite3": true, "esbuild": true, "@swc/core": true, "core-js-pure": true },
  "engines": { "node": ">=20.0.0" },
  "strapi": { "uuid": "ai-assets-install-test", "telemetryDisabled": true }
}
JSON
rand() { node -e 'process.stdout.write(require("crypto").randomBytes(16).toString("base64"))'; }
cat >"$APP/.env" <<ENV
APP_KEYS=$(rand),$(rand)
ADMIN_JWT_SECRET=$(rand)
API_TOKEN_SALT=$(rand)
TRANSFER_TOKEN_SALT=$(rand)
ENCRYPTION_KEY=$(rand)
JWT_SECRET=$(rand)
ENV
cat >"$APP/config/server.js" <<'JS'
module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS') },
});
JS
cat >"$APP/config/admin.js" <<'JS'
module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET') },
  apiToken: { salt: env('API_TOKEN_SALT') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY') },
});
JS
cat >"$APP/config/database.js" <<'JS'
const path = require('path');
module.exports = () => ({
  connection: {
    client: 'sqlite',
    connection: { filename: path.join(__dirname, '..', '.tmp', 'data.db') },
    useNullAsDefault: true,
  },
});
JS
cat >"$APP/config/middlewares.js" <<'JS'
module.exports = [
  'strapi::logger', 'strapi::errors', 'strapi::security', 'strapi::cors', 'strapi::poweredBy',
  'strapi::query', 'strapi::body', 'strapi::session', 'strapi::favicon', 'strapi::public',
];
JS
cat >"$APP/config/plugins.js" <<'JS'
module.exports = () => ({
  'ai-assets': {
    enabled: true,
    config: {
      rules: [
        {
          id: 'post-cover',
          contentType: 'api::post.post',
          on: ['publish'],
          provider: 'local',
          prompt: 'Cover for "{{headline}}"',
          output: { format: 'webp', width: 600, height: 315 },
          target: 'image',
          folder: 'Install test',
        },
      ],
    },
  },
});
JS
# One content type (named unlike the playground's) with Draft & Publish and a media field.
mkdir -p "$APP/src/api/post/content-types/post" "$APP/src/api/post/routes" "$APP/src/api/post/controllers" "$APP/src/api/post/services"
cat >"$APP/src/api/post/content-types/post/schema.json" <<'JSON'
{
  "kind": "collectionType",
  "collectionName": "posts",
  "info": { "singularName": "post", "pluralName": "posts", "displayName": "Post" },
  "options": { "draftAndPublish": true },
  "attributes": {
    "headline": { "type": "string", "required": true },
    "image": { "type": "media", "multiple": false, "allowedTypes": ["images"] }
  }
}
JSON
echo "module.exports = require('@strapi/strapi').factories.createCoreRouter('api::post.post');" >"$APP/src/api/post/routes/post.js"
echo "module.exports = require('@strapi/strapi').factories.createCoreController('api::post.post');" >"$APP/src/api/post/controllers/post.js"
echo "module.exports = require('@strapi/strapi').factories.createCoreService('api::post.post');" >"$APP/src/api/post/services/post.js"
echo "module.exports = { register() {}, bootstrap() {} };" >"$APP/src/index.js"

# 3. Install the tarball and its dependencies from the registry (README: `npm install ./strapi-plugin-ai-assets-x.y.z.tgz`).
step "npm install ./$(basename "$TARBALL") (and Strapi from the registry)"
(cd "$APP" && npm install --no-audit --no-fund "./$(basename "$TARBALL")") >"$WORK/install.log" 2>&1 || { tail -n 40 "$WORK/install.log"; exit 1; }
# Every dependency install script the app needs is approved by the allowScripts the README tells users to write.
unreviewed=$(grep -E '^npm warn install-scripts   [^ ]+@' "$WORK/install.log" | grep -v ' strapi-plugin-ai-assets@' || true)
[ -z "$unreviewed" ] || { echo "install scripts not covered by the README's allowScripts:"; echo "$unreviewed"; exit 1; }
# The plugin's own `prepare` is listed too; from a tarball it is not needed, and the README says to deny it.
(cd "$APP" && npm install-scripts deny strapi-plugin-ai-assets >/dev/null 2>&1 && npm install-scripts ls 2>&1) | grep -q 'No packages with unreviewed install scripts' \
  || { echo "install scripts still unreviewed after the README's approve/deny:"; (cd "$APP" && npm install-scripts ls); exit 1; }
(cd "$APP" && node -e "require('better-sqlite3')(':memory:').prepare('select 1').get()") || { echo "better-sqlite3 was not built"; exit 1; }
grep -q '"strapi-plugin-ai-assets": "file:strapi-plugin-ai-assets-' "$APP/package.json" || { echo "package.json lacks the plugin"; exit 1; }

# 4. Build the admin, start Strapi on a free loopback port.
step "strapi build"
(cd "$APP" && NODE_ENV=production npx strapi build) >"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log"; exit 1; }
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
step "strapi start on 127.0.0.1:$PORT"
(cd "$APP" && exec setsid env NODE_ENV=production HOST=127.0.0.1 PORT=$PORT npx strapi start) >"$WORK/strapi.log" 2>&1 &
STRAPI_PID=$!

# 5. Register the first admin, create and publish a post, poll until the published post has the plugin's image.
step "publishing a post and waiting for its image"
BASE="http://127.0.0.1:$PORT" APP="$APP" STRAPI_PID="$STRAPI_PID" node - <<'JS'
const fs = require('fs');
const path = require('path');
const base = process.env.BASE;
const deadline = (ms) => Date.now() + ms;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const alive = () => { try { process.kill(Number(process.env.STRAPI_PID), 0); return true; } catch { return false; } };
async function call(method, url, token, body) {
  const res = await fetch(base + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}
(async () => {
  const up = deadline(180_000);
  for (;;) {
    if (!alive()) throw new Error('Strapi exited during startup');
    try { if ((await fetch(base + '/_health')).status === 204) break; } catch {}
    if (Date.now() > up) throw new Error('Strapi did not answer /_health within 180 s');
    await sleep(500);
  }
  const admin = await call('POST', '/admin/register-admin', null, {
    firstname: 'Install', lastname: 'Test', email: 'install-test@example.com', password: 'InstallTest-1234',
  });
  const token = admin.data.token;
  const cm = '/content-manager/collection-types/api::post.post';
  const created = await call('POST', cm, token, { headline: 'A lighthouse at dawn' });
  const documentId = created.data.documentId;
  await call('POST', `${cm}/${documentId}/actions/publish`, token, { headline: 'A lighthouse at dawn' });
  const until = deadline(120_000);
  for (;;) {
    const jobs = await call('GET', `/ai-assets/jobs?documentId=${documentId}`, token);
    const job = jobs.results[0];
    if (job && ['failed', 'canceled'].includes(job.status)) throw new Error(`job #${job.id} ${job.status}: ${JSON.stringify(job.error)}`);
    const live = await call('GET', `${cm}/${documentId}?status=published`, token);
    const image = live.data && live.data.image;
    if (job && job.status === 'succeeded' && image) {
      if (job.provider !== 'local') throw new Error(`job used provider ${job.provider}`);
      if (!job.result || job.result.fileId !== image.id) throw new Error(`published image ${image.id} is not the job's file ${JSON.stringify(job.result)}`);
      const file = path.join(process.env.APP, 'public', image.url);
      const size = fs.statSync(file).size;
      if (image.mime !== 'image/webp' || image.width !== 600 || image.height !== 315 || size < 100) {
        throw new Error(`unexpected file ${JSON.stringify({ mime: image.mime, width: image.width, height: image.height, size })}`);
      }
      console.log(`published post ${documentId} has ${image.url} (${image.mime}, ${image.width}x${image.height}, ${size} bytes) from job #${job.id} via ${job.provider}`);
      return;
    }
    if (Date.now() > until) throw new Error(`no image within 120 s; job: ${JSON.stringify(job && { id: job.id, status: job.status, error: job.error })}`);
    await sleep(500);
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
JS
step "done"
