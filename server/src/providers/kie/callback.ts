/**
 * kie.ai webhook verification (pure, so the route that receives callbacks stays thin):
 * `X-Webhook-Signature` = base64(HMAC-SHA256(taskId + "." + timestamp, secret)), `X-Webhook-Timestamp` in
 * seconds. Callbacks can repeat; the caller must handle a verified callback idempotently.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface KieCallbackInput {
  /** The callback body: parsed object, raw JSON string or Buffer. */
  body: unknown;
  timestamp: string | number | undefined;
  signature: string | undefined;
  secret: string;
  /** Current time in ms (injectable for tests). */
  now?: number;
  /** Accepted clock difference; default 300 s. */
  toleranceSeconds?: number;
}

export type KieCallbackVerdict = { ok: true; taskId: string } | { ok: false; reason: string };

function taskIdOf(body: unknown): string | undefined {
  let value = body;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const record = value as { data?: { taskId?: unknown }; taskId?: unknown } | null;
  const taskId = record?.data?.taskId ?? record?.taskId;
  return typeof taskId === 'string' && taskId.length > 0 ? taskId : undefined;
}

export function signKieCallback(taskId: string, timestamp: string | number, secret: string): string {
  return createHmac('sha256', secret).update(`${taskId}.${timestamp}`).digest('base64');
}

export function verifyKieCallback(input: KieCallbackInput): KieCallbackVerdict {
  const { signature, secret } = input;
  if (!secret) return { ok: false, reason: 'no webhook secret configured' };
  const taskId = taskIdOf(input.body);
  if (!taskId) return { ok: false, reason: 'body has no taskId' };
  const timestamp = input.timestamp === undefined ? '' : String(input.timestamp).trim();
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or invalid timestamp' };
  const toleranceMs = (input.toleranceSeconds ?? 300) * 1000;
  if (Math.abs((input.now ?? Date.now()) - Number(timestamp) * 1000) > toleranceMs) return { ok: false, reason: 'timestamp outside tolerance' };
  if (!signature) return { ok: false, reason: 'missing signature' };
  const expected = Buffer.from(signKieCallback(taskId, timestamp, secret), 'base64');
  const given = Buffer.from(signature.trim(), 'base64');
  // Length check first: timingSafeEqual throws on different lengths, and lengths leak nothing secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true, taskId };
}
