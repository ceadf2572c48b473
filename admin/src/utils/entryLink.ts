/** Path of an entry's edit view inside the admin router (no /admin prefix, it is the router basename). */
export const entryPath = (contentType: string, documentId: string, locale: string | null) => {
  const base = `/content-manager/collection-types/${contentType}/${documentId}`;
  return locale ? `${base}?plugins[i18n][locale]=${encodeURIComponent(locale)}` : base;
};

export const jobPath = (jobId: number) => `/plugins/ai-assets/jobs/${jobId}`;

export const backfillsPath = '/plugins/ai-assets/backfills';
export const backfillPath = (backfillId: number) => `${backfillsPath}/${backfillId}`;
