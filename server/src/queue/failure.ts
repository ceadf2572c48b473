/** What a failed attempt becomes: the readable reason an editor sees and whether it will be retried. */
import { errorCode, isRetryable, ModerationBlockedError, retryAfterMsOf } from '../providers/errors';
import { retryDelayMs, type BackoffPolicy } from './backoff';

export interface FailureDecision {
  code: string;
  message: string;
  /** The error kind allows a retry (even if attempts ran out). */
  retryable: boolean;
  /** When to run again; null = the job fails now. */
  retryAt: Date | null;
}

const MAX_MESSAGE_LENGTH = 1000;

export function readableMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof ModerationBlockedError) {
    const { stage, categories } = error.moderation;
    const details = [stage ? `${stage} stage` : null, categories?.length ? `categories: ${categories.join(', ')}` : null].filter(Boolean);
    if (details.length) message = `${message} (${details.join('; ')})`;
  }
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message;
}

export function decideFailure(
  error: unknown,
  attempt: number,
  maxAttempts: number,
  policy: BackoffPolicy,
  now: Date = new Date(),
  random: () => number = Math.random
): FailureDecision {
  const retryable = isRetryable(error);
  const base = { code: errorCode(error), retryable };
  if (!retryable) return { ...base, message: `${readableMessage(error)} This will not be retried.`, retryAt: null };
  if (attempt >= maxAttempts) {
    return { ...base, message: `${readableMessage(error)} Gave up after ${attempt} attempts.`, retryAt: null };
  }
  const delay = retryDelayMs(attempt, policy, retryAfterMsOf(error), random);
  const retryAt = new Date(now.getTime() + delay);
  return { ...base, message: `${readableMessage(error)} Will retry at ${retryAt.toISOString()} (attempt ${attempt + 1} of ${maxAttempts}).`, retryAt };
}
