/** Small display helpers, pure. */

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
