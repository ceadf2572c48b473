/** The dedupe key: the same inputs always hash the same, so a paid provider is never called twice for them. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so {a,b} and {b,a} hash alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Date)) {
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return inner;
  });
}

export interface HashInputs {
  ruleId: string;
  contentType: string;
  documentId: string;
  locale: string | null;
  operation: 'generate' | 'edit';
  provider: string;
  prompt: string;
  params: Record<string, unknown>;
  output: Record<string, unknown> | unknown[];
  /** For edits: identity of the source file (id + its content hash) so a new source image re-runs. */
  sourceFile?: { id: number; hash?: string | null } | null;
  /** For admin edits / regenerations: the parent job and mask identity. */
  parentJobId?: number | null;
  maskHash?: string | null;
  /** For edit rules with a mask field: identity of the mask file. */
  maskFile?: { id: number; hash?: string | null } | null;
}

export function inputHash(inputs: HashInputs): string {
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex');
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
