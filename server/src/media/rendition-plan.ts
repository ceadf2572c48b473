/**
 * Which file goes where: a rule's `output` (one spec, or named renditions) as a list of renditions with their
 * media field. A rendition without `target` goes to the rule's target, unless another rendition already takes it:
 * then it is only stored in the Media Library (target null).
 */
import { outputSchema, type OutputSpec, type RenditionSpec } from '../config/schema';
import type { JobResult } from '../queue/types';

export interface PlannedRendition {
  /** null for a rule with a single output spec. */
  name: string | null;
  /** The media field this file is attached to; null = Media Library only. */
  target: string | null;
  spec: OutputSpec;
}

const specOf = ({ name: _name, target: _target, ...spec }: RenditionSpec): OutputSpec => outputSchema.parse(spec);

export function planRenditions(output: unknown, ruleTarget: string): PlannedRendition[] {
  if (!Array.isArray(output)) return [{ name: null, target: ruleTarget, spec: outputSchema.parse(output ?? {}) }];
  const renditions = output as RenditionSpec[];
  let ruleTargetTaken = renditions.some((rendition) => rendition.target === ruleTarget);
  return renditions.map((rendition) => {
    if (rendition.target) return { name: rendition.name, target: rendition.target, spec: specOf(rendition) };
    const target = ruleTargetTaken ? null : ruleTarget;
    ruleTargetTaken = true;
    return { name: rendition.name, target, spec: specOf(rendition) };
  });
}

/** The rendition whose file is the job's result (the one for the rule's target, else the first). */
export function primaryIndex(plan: PlannedRendition[], ruleTarget: string): number {
  const index = plan.findIndex((rendition) => rendition.target === ruleTarget);
  return index === -1 ? 0 : index;
}

/** The (field, file) pairs a finished job attaches: every rendition with a target, or the one result. */
export function attachmentsOf(result: Pick<JobResult, 'fileId' | 'renditions'>, ruleTarget: string): Array<{ field: string; fileId: number }> {
  if (!result.renditions) return [{ field: ruleTarget, fileId: result.fileId }];
  return result.renditions.flatMap((rendition) => (rendition.target ? [{ field: rendition.target, fileId: rendition.fileId }] : []));
}

/** Every Media Library file of a result (to clean up when a job is canceled mid-way). */
export function fileIdsOf(result: Pick<JobResult, 'fileId' | 'renditions'>): number[] {
  return result.renditions ? result.renditions.map((rendition) => rendition.fileId) : [result.fileId];
}
