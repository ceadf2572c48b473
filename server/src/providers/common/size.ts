/** Parsing `WxH` size strings shared by providers. */
export function parseSize(size: string): { width: number; height: number } | null {
  const match = /^(\d{2,5})x(\d{2,5})$/.exec(size);
  return match ? { width: Number(match[1]), height: Number(match[2]) } : null;
}
