/** Small display helpers, pure. */

/** Whole days from an ISO date to `now`, or null when the date is missing or unparsable. */
export function ageInDays(iso: string | null | undefined, now: Date = new Date()): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return Math.floor((now.getTime() - t) / 86_400_000);
}

/** "412 days", "1 day", "today"; "—" when unknown. */
export function formatAge(days: number | null): string {
  if (days === null) return '—';
  if (days <= 0) return 'today';
  return days === 1 ? '1 day' : `${days} days`;
}

/** The last segment of an ARN's resource part, for compact labels (`…:user/ops/alice` → `alice`). */
export function shortName(arn: string): string {
  const inline = arn.indexOf('#inline/');
  if (inline >= 0) return arn.slice(inline + 8);
  const tail = arn.split(':').pop() ?? arn;
  return tail.split('/').pop() || tail;
}
