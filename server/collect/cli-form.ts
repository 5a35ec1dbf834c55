/**
 * SDK v3 output → what the `aws` CLI prints with `--output json`, so a collected bundle and a hand-collected
 * one are the same files. The differences that matter:
 * - the SDK adds `$metadata` (request id, attempts); the CLI prints only the response members;
 * - the SDK returns `Date` objects; the CLI prints ISO-8601 with `+00:00` (Python's `isoformat()`);
 * - the SDK returns binary members as `Uint8Array`; the CLI prints them base64;
 * - IAM returns policy documents URL-encoded; the CLI (botocore) decodes them into JSON objects, the SDK does
 *   not (`decodeIamPolicyDocuments`).
 */

/** A JSON-ready copy of an SDK output in the CLI's form. */
export function toCliJson(output: unknown): unknown {
  return convert(output);
}

function convert(value: unknown): unknown {
  if (value instanceof Date) return cliDate(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(convert);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // The CLI omits members the service did not send; the SDK has them as undefined.
      if (k === '$metadata' || v === undefined) continue;
      out[k] = convert(v);
    }
    return out;
  }
  return value;
}

/** `2023-03-09T10:41:45+00:00`, or `…45.123000+00:00` with milliseconds: Python's `datetime.isoformat()`. */
export function cliDate(d: Date): string {
  const iso = d.toISOString(); // 2023-03-09T10:41:45.123Z
  const ms = iso.slice(20, 23);
  return `${iso.slice(0, 19)}${ms === '000' ? '' : `.${ms}000`}+00:00`;
}

/**
 * The GAAD members that hold URL-encoded policy documents (IAM API reference: "The policy document returned
 * in this structure is URL-encoded compliant with RFC 3986"). botocore decodes exactly these into objects.
 */
export function decodeIamPolicyDocuments(page: Record<string, unknown>): Record<string, unknown> {
  const decodeList = (list: unknown, key: string) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (item && typeof item === 'object' && typeof (item as Record<string, unknown>)[key] === 'string') {
        const holder = item as Record<string, unknown>;
        holder[key] = decodeDocument(holder[key] as string);
      }
    }
  };
  for (const u of asList(page.UserDetailList)) decodeList(u.UserPolicyList, 'PolicyDocument');
  for (const g of asList(page.GroupDetailList)) decodeList(g.GroupPolicyList, 'PolicyDocument');
  for (const r of asList(page.RoleDetailList)) {
    decodeList(r.RolePolicyList, 'PolicyDocument');
    decodeList([r], 'AssumeRolePolicyDocument');
    // Instance profiles repeat their roles, trust policy included (botocore decodes every policy document).
    for (const ip of asList(r.InstanceProfileList)) decodeList(ip.Roles, 'AssumeRolePolicyDocument');
  }
  for (const p of asList(page.Policies)) decodeList(p.PolicyVersionList, 'Document');
  return page;
}

function asList(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
}

/**
 * URL-decoded and parsed; a document that does not decode stays a string, as botocore leaves it, so the
 * importer reports it with its JSON path instead of the collector failing on one odd policy.
 */
function decodeDocument(text: string): unknown {
  try {
    return JSON.parse(decodeURIComponent(text));
  } catch {
    return text;
  }
}
