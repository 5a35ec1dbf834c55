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

/**
 * An access key a change deactivates: `AKIA… of bob`, or `key 2 of bob` by its credential report slot
 * (`access_key_2`) when the snapshot has no key ids.
 */
export function keyLabel(key: { user: string; accessKeyId?: string | null; slot: number }): string {
  return `${key.accessKeyId ?? `key ${key.slot}`} of ${shortName(key.user)}`;
}
