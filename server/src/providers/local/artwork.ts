/**
 * Deterministic SVG artwork for the offline `local` provider: palette, shapes and layout all come from a
 * hash of the prompt and seed, so the same inputs give byte-identical images. Honestly a placeholder and
 * social-card renderer, not AI.
 */
import { createHash } from 'node:crypto';

/** A tiny deterministic PRNG (mulberry32) seeded from the prompt hash. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function artworkSeed(prompt: string, seed: number): number {
  return createHash('sha256').update(`${seed}\u0000${prompt}`).digest().readUInt32BE(0);
}

const hsl = (hue: number, saturation: number, lightness: number) =>
  `hsl(${Math.round(((hue % 360) + 360) % 360)}, ${Math.round(saturation)}%, ${Math.round(lightness)}%)`;

export interface Palette {
  background: [string, string];
  shapes: string[];
  ink: string;
  accentHue: number;
}

export function paletteFor(random: () => number): Palette {
  const baseHue = random() * 360;
  // Analogous + one complementary accent: reads as designed rather than random.
  const scheme = [0, 30, -30, 180].map((offset) => baseHue + offset);
  return {
    background: [hsl(scheme[0], 55, 18), hsl(scheme[1], 60, 32)],
    shapes: [hsl(scheme[0], 70, 55), hsl(scheme[1], 75, 62), hsl(scheme[2], 65, 48), hsl(scheme[3], 80, 60)],
    ink: hsl(scheme[0], 30, 96),
    accentHue: scheme[3],
  };
}

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[char] as string);

/** Splits text into at most `maxLines` lines of about `width` characters. */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if ((line + ' ' + word).trim().length > width && line) {
      lines.push(line);
      line = word;
      if (lines.length === maxLines) break;
    } else {
      line = (line + ' ' + word).trim();
    }
  }
  if (lines.length < maxLines && line) lines.push(line);
  if (lines.length === maxLines && text.length > lines.join(' ').length) lines[maxLines - 1] = `${lines[maxLines - 1].replace(/\W*$/, '')}…`;
  return lines;
}

export interface ArtworkOptions {
  width: number;
  height: number;
  prompt: string;
  seed: number;
  title?: string;
}

/**
 * The artwork as two SVG layers: soft background shapes (rendered small and scaled up by the caller: blurred
 * shapes look the same and cost a fraction) and an optional crisp text layer at full size.
 */
export function renderArtworkLayers({ width, height, prompt, seed, title }: ArtworkOptions, backgroundScale = 1): { background: string; text: string | null } {
  const random = prng(artworkSeed(prompt, seed));
  const palette = paletteFor(random);
  const short = Math.min(width, height);
  const angle = Math.round(random() * 360);

  const shapes: string[] = [];
  const circles = 4 + Math.floor(random() * 4);
  for (let index = 0; index < circles; index += 1) {
    const radius = short * (0.12 + random() * 0.38);
    shapes.push(
      `<circle cx="${(random() * width).toFixed(1)}" cy="${(random() * height).toFixed(1)}" r="${radius.toFixed(1)}" ` +
        `fill="${palette.shapes[index % palette.shapes.length]}" fill-opacity="${(0.35 + random() * 0.45).toFixed(2)}" filter="url(#soft)"/>`
    );
  }
  const bands = 2 + Math.floor(random() * 3);
  for (let index = 0; index < bands; index += 1) {
    const y = random() * height;
    shapes.push(
      `<rect x="${-width * 0.25}" y="${y.toFixed(1)}" width="${width * 1.5}" height="${(short * (0.02 + random() * 0.05)).toFixed(1)}" ` +
        `fill="${palette.ink}" fill-opacity="${(0.06 + random() * 0.1).toFixed(2)}" transform="rotate(${Math.round(-20 + random() * 40)} ${width / 2} ${height / 2})"/>`
    );
  }
  const scaledWidth = Math.max(1, Math.round(width * backgroundScale));
  const scaledHeight = Math.max(1, Math.round(height * backgroundScale));
  const background =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scaledWidth}" height="${scaledHeight}" viewBox="0 0 ${width} ${height}">` +
    `<defs>` +
    `<linearGradient id="bg" gradientTransform="rotate(${angle} 0.5 0.5)"><stop offset="0" stop-color="${palette.background[0]}"/><stop offset="1" stop-color="${palette.background[1]}"/></linearGradient>` +
    `<filter id="soft" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${(short * 0.02).toFixed(1)}"/></filter>` +
    `</defs>` +
    `<rect width="100%" height="100%" fill="url(#bg)"/>` +
    shapes.join('') +
    `</svg>`;

  if (!title) return { background, text: null };
  const fontSize = Math.max(14, Math.round(short * 0.075));
  const lines = wrapText(title, Math.max(12, Math.floor((width * 0.8) / (fontSize * 0.55))), 3);
  const lineHeight = fontSize * 1.2;
  const top = height - short * 0.08 - lineHeight * lines.length;
  const text =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><linearGradient id="fade" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.55"/></linearGradient></defs>` +
    `<rect x="0" y="${(top - fontSize * 0.6).toFixed(1)}" width="${width}" height="${(height - top + fontSize * 0.6).toFixed(1)}" fill="url(#fade)"/>` +
    lines
      .map(
        (line, index) =>
          `<text x="${(short * 0.07).toFixed(1)}" y="${(top + lineHeight * (index + 0.8)).toFixed(1)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" ` +
          `font-size="${fontSize}" font-weight="700" fill="${palette.ink}">${escapeXml(line)}</text>`
      )
      .join('') +
    `</svg>`;
  return { background, text };
}
