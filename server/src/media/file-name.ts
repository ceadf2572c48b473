/** Readable, deterministic Media Library file names: `<rule>-<entry-slug>-<hash8>.<ext>`. */
// Letters NFKD does not decompose into ASCII.
const TRANSLITERATIONS: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ł: 'l', þ: 'th', ð: 'd', ı: 'i' };

export function slugify(text: string, maxLength = 60): string {
  return text
    .toLowerCase()
    .replace(/[øæœßđłþðı]/g, (letter) => TRANSLITERATIONS[letter])
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
}

export function resultFileName(ruleId: string, entryLabel: string | null | undefined, inputHash: string, extension: string): string {
  const slug = slugify(entryLabel ?? '') || 'entry';
  return `${ruleId}-${slug}-${inputHash.slice(0, 8)}.${extension}`;
}
