import type { IntlShape } from 'react-intl';

export const formatCost = (intl: IntlShape, costUsd: number | null | undefined) =>
  costUsd === null || costUsd === undefined
    ? '—'
    : intl.formatNumber(costUsd, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

export const formatDuration = (intl: IntlShape, durationMs: number | null | undefined) => {
  if (durationMs === null || durationMs === undefined) return '—';
  if (durationMs < 1000) return intl.formatNumber(durationMs, { style: 'unit', unit: 'millisecond' });
  if (durationMs < 120_000) return intl.formatNumber(durationMs / 1000, { style: 'unit', unit: 'second', maximumFractionDigits: 1 });
  if (durationMs < 7_200_000) return intl.formatNumber(durationMs / 60_000, { style: 'unit', unit: 'minute', maximumFractionDigits: 1 });
  return intl.formatNumber(durationMs / 3_600_000, { style: 'unit', unit: 'hour', maximumFractionDigits: 1 });
};

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 minutes ago" / "in 20 seconds", in the editor's language. */
export const formatRelative = (intl: IntlShape, iso: string | null | undefined, now = Date.now()) => {
  if (!iso) return '—';
  const delta = new Date(iso).getTime() - now;
  const [unit, size] = UNITS.find(([, ms]) => Math.abs(delta) >= ms) ?? UNITS[UNITS.length - 1];
  return intl.formatRelativeTime(Math.round(delta / size), unit, { numeric: 'auto' });
};

export const formatDateTime = (intl: IntlShape, iso: string | null | undefined) =>
  iso ? intl.formatDate(iso, { dateStyle: 'medium', timeStyle: 'medium' }) : '—';

