/**
 * AWS writes the same instant three ways: the CLI and API `2023-03-09T10:41:45Z`, the CLI v2 / some SDKs
 * `2023-03-09T10:41:45+00:00`, and boto3's `str(datetime)` `2023-03-09 10:41:45+00:00` (seen in collectors
 * that dump boto3 responses). The snapshot holds ISO-8601 UTC (`…Z`, no milliseconds unless non-zero).
 */
export const AWS_DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** ISO-8601 UTC, or undefined when the text is not one of the accepted forms (the caller reports it). */
export function normalizeAwsDate(text: string): string | undefined {
  const m = AWS_DATE_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, frac ? Math.round(Number(frac) * 1000) : 0);
  if (Number.isNaN(ms)) return undefined;
  if (zone !== 'Z') {
    const sign = zone!.startsWith('-') ? -1 : 1;
    const digits = zone!.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  // Reject calendar overflow such as 2023-02-30 that Date.UTC silently rolls over.
  if (new Date(Date.UTC(+y!, +mo! - 1, +d!)).getUTCDate() !== +d! || +mo! < 1 || +mo! > 12) return undefined;
  // …and 25:00 or 10:61, which it rolls over too.
  if (+h! > 23 || +mi! > 59 || +s! > 59) return undefined;
  const date = new Date(ms);
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}
