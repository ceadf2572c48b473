import { unstable_useDocument, useFetchClient, useForm, useQueryParams } from '@strapi/strapi/admin';
import * as React from 'react';

import type { JobView } from '../../types';
import { useFeedback } from '../common/useFeedback';

type Query = Record<string, unknown> & { plugins?: Record<string, unknown> };

/**
 * The Content Manager's own request parameters for the open document (its `buildValidParams`): plugin options
 * are flattened in. The same parameters address the same cached document query, so refetching it updates the
 * edit view instead of fetching a copy.
 */
export function contentManagerParams(query: Query): Record<string, unknown> {
  const { plugins, ...rest } = query;
  const flattened = Object.values(plugins ?? {}).reduce<Record<string, unknown>>(
    (params, options) => (typeof options === 'object' && options !== null ? Object.assign(params, options) : params),
    {}
  );
  return { ...rest, ...flattened };
}

/** Attaches in `jobs` that `seen` did not know yet (and records them). */
export function newAttaches(jobs: JobView[], seen: Map<number, string>): JobView[] {
  const fresh = jobs.filter((job) => job.attachedAt && job.attachedField && seen.get(job.id) !== job.attachedAt);
  for (const job of jobs) if (job.attachedAt) seen.set(job.id, job.attachedAt);
  return fresh;
}

interface FollowArgs {
  model: string;
  collectionType: string;
  documentId: string;
  jobs: JobView[] | undefined;
}

/**
 * When the plugin attaches a file to the entry open in the edit view, the form shows it as soon as the panel's
 * job list sees the attach. A form without unsaved edits reloads the document (the Content Manager's own query);
 * a form with edits keeps them and only gets the attached field's new value, so the next Save writes the
 * plugin's file instead of putting the old one back. The Content Manager sends no version with a save, so the
 * server cannot tell a stale form from a deliberate change: keeping the form current is what protects the file.
 */
export const useFormFollowsAttach = ({ model, collectionType, documentId, jobs }: FollowArgs) => {
  const [{ query }] = useQueryParams<Query>();
  const params = React.useMemo(() => contentManagerParams(query), [query]);
  const { refetch } = unstable_useDocument({ model, collectionType, documentId, params });
  const { get } = useFetchClient();
  const form = useForm('AiAssetsPanel', (state) => ({ modified: state.modified, onChange: state.onChange }), false);
  const feedback = useFeedback();
  const seen = React.useRef<Map<number, string> | null>(null);
  const latest = React.useRef({ form, refetch, params });
  latest.current = { form, refetch, params };

  React.useEffect(() => {
    if (!jobs) return;
    if (!seen.current) {
      // What was attached before the panel opened is already in the form.
      seen.current = new Map();
      newAttaches(jobs, seen.current);
      return;
    }
    const attached = newAttaches(jobs, seen.current);
    if (attached.length === 0) return;
    const { form: current, refetch: reload, params: requestParams } = latest.current;

    void (async () => {
      if (!current?.modified) {
        await reload();
      } else {
        const { data } = await get<{ data: Record<string, unknown> }>(
          `/content-manager/${collectionType}/${model}/${encodeURIComponent(documentId)}`,
          { params: requestParams }
        );
        for (const field of new Set(attached.map((job) => job.attachedField as string))) {
          current.onChange(field, data.data[field] as never);
        }
      }
      for (const job of attached) {
        feedback.info('panel.form-updated', 'Job #{id} attached a new image to “{field}”: the form shows it.', {
          id: job.id,
          field: job.attachedField ?? '',
        });
      }
    })().catch(feedback.failure);
    // Only a new job list can bring a new attach.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jobs]);
};
