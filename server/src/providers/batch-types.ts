/**
 * The optional Batch API of a provider (`ImageProvider.batch`): requests written as lines of a file, sent as
 * one batch, answered within a window at a lower price. The batch service (server/src/batch/) drives it; the
 * provider only knows its own wire format.
 */
import type { GenerateRequest, ProviderResult } from './types';

/** Lifecycle of a remote batch, as OpenAI names it. */
export const REMOTE_BATCH_STATUSES = ['validating', 'in_progress', 'finalizing', 'completed', 'expired', 'failed', 'cancelling', 'cancelled'] as const;
export type RemoteBatchStatus = (typeof REMOTE_BATCH_STATUSES)[number];

export interface RemoteBatch {
  id: string;
  status: RemoteBatchStatus;
  outputFileId: string | null;
  errorFileId: string | null;
  requestCounts: { total: number; completed: number; failed: number } | null;
  /** Why the whole batch failed (validation errors of the input file), readable. */
  problem: string | null;
}

/** What one line of an output or error file says about the request `customId`. */
export type BatchLineOutcome =
  | { customId: string; ok: true; result: ProviderResult }
  | { customId: string; ok: false; code: string; message: string };

export interface ProviderBatchApi {
  /** Batch price as a share of the synchronous one (estimates and budgets use it before anything is paid). */
  readonly priceFactor: number;
  /** One line of the input file: the request the synchronous `generate` would send, tagged with `customId`. */
  requestLine(customId: string, request: GenerateRequest): string;
  /** Uploads the input file; returns its file id. */
  upload(jsonl: Buffer, fileName: string): Promise<string>;
  create(inputFileId: string, metadata: Record<string, string>): Promise<RemoteBatch>;
  /**
   * The most recent batches' one whose metadata holds `key: value`, or null. A create whose answer was lost
   * (timeout, dropped connection, 5xx) may still have started a billed batch: this finds it to adopt it.
   */
  findByMetadata(key: string, value: string): Promise<RemoteBatch | null>;
  retrieve(batchId: string): Promise<RemoteBatch>;
  cancel(batchId: string): Promise<RemoteBatch>;
  /** The lines of an output or error file, read as they arrive (a file of images can be gigabytes). */
  readLines(fileId: string): AsyncIterable<string>;
  /** Decodes one line into the same result a synchronous call gives (images checked, cost at the batch price). */
  parseLine(line: string, request: GenerateRequest): Promise<BatchLineOutcome>;
}
