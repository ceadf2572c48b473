/**
 * The one redaction function: removes known secret values and anything shaped like a key from text that
 * came from (or goes to) a provider. `redactDeep` applies it to every string of an answer.
 */

export const REDACTED = '[redacted]';
/** Shapes of bearer keys and tokens that must never reach an editor, even when we don't know the value. */
const SECRET_SHAPES = [/\bsk-[A-Za-z0-9_*-]{8,}/g, /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi];
/** Shorter values would redact ordinary words; config refuses keys this short anyway. */
const MIN_SECRET_LENGTH = 6;

export type Secrets = ReadonlyArray<string | undefined>;

export function redact(text: string, secrets: Secrets = []): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    result = result.split(secret).join(REDACTED);
    // An echo of most of the key (a proxy that trims a prefix, a log that masks the start) is a leak too.
    const tail = secret.slice(Math.floor(secret.length / 3));
    if (tail.length >= 12) result = result.split(tail).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) result = result.split(encoded).join(REDACTED);
  }
  for (const shape of SECRET_SHAPES) result = result.replace(shape, REDACTED);
  return result;
}

/** Every string inside `value` redacted (keys too); Buffers (image bytes) and other leaves are kept as they are. */
export function redactDeep<T>(value: T, secrets: Secrets = [], seen: WeakSet<object> = new WeakSet()): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets, seen)) as T;
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key, secrets), redactDeep(item, secrets, seen)])) as T;
}

/** Secret values in a provider's options: keys/tokens/passwords by name, and every configured header value. */
export function secretsInOptions(options: Record<string, unknown>): string[] {
  const found: string[] = [];
  const visit = (value: unknown, name: string, underHeaders: boolean) => {
    if (typeof value === 'string') {
      if (underHeaders || /key|secret|token|password|credential|authorization/i.test(name)) found.push(value);
      return;
    }
    const plain = value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value));
    if (plain) {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) visit(item, key, underHeaders || /^headers$/i.test(key));
    }
  };
  visit(options, '', false);
  return found.filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}
