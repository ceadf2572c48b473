/** Set by the Strapi admin at boot; Media Library files live on the backend's origin. */
const backendUrl = () => (window as unknown as { strapi?: { backendURL?: string } }).strapi?.backendURL ?? '';

/** Media Library URLs are relative to the Strapi server, which may not be the admin's origin. */
export const mediaUrl = (url: string | null | undefined) => {
  if (!url) return undefined;
  if (/^(https?:|data:|blob:)/.test(url)) return url;
  return `${backendUrl()}${url}`;
};
