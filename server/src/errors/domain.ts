/**
 * The one root of the plugin's own errors. Every failure the domain raises on purpose (provider, plan,
 * job state, lease) carries a short `code` for job rows and logs and says whether repeating the work can
 * help (`retryable`). HTTP statuses are chosen only in the controllers (`controllers/http-errors.ts`).
 */
export abstract class AiAssetsError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** A non-provider failure (bad rule, missing document, bad image) that must fail the job at once. */
export class NonRetryableError extends AiAssetsError {
  readonly retryable = false;
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

/** A request that cannot be planned: unknown rule, missing entry, empty prompt, invalid params. */
export class PlanError extends AiAssetsError {
  readonly retryable = false;
  constructor(
    message: string,
    readonly code: 'plan_invalid' | 'not_found' = 'plan_invalid'
  ) {
    super(message);
  }
}
