/**
 * Limits on everything the importers read, so that a hostile or broken bundle gives a diagnostic instead of a
 * crash, a hang or an out-of-memory. Each has a documented default (table in importers/README.md); the CLI raises
 * them with `--limits name=value,…` (`parseLimitsFlag`), `importBundle` with `options.limits`.
 * Where AWS has a quota, the default is that quota: no file AWS produced can exceed it.
 */

export interface Limits {
  /** Bytes of one file (checked with stat before reading, or while inflating an archive entry). */
  fileBytes: number;
  /** Bytes of all the files of one bundle: a directory's, or what an archive unpacks to (counted while inflating). */
  bundleBytes: number;
  /** Entries of one archive. */
  archiveEntries: number;
  /** Nesting depth of one JSON value (a policy document inside a string included). */
  jsonDepth: number;
  /** Characters of one JSON string. */
  stringChars: number;
  /** IAM: groups a user is in (IAM quota "Groups an IAM user can be a member of": 10). */
  groupsPerUser: number;
  /** IAM: managed policies attached to a user, group or role (quota 10 by default, raisable to 20). */
  managedPoliciesPerEntity: number;
  /** IAM: tags of a user, role or policy (quota 50). */
  tagsPerEntity: number;
  /** Characters of one policy document without whitespace (KMS key policies, the largest AWS stores: 32 KB). */
  policyChars: number;
  /** Rows of a credential report (IAM quota 5,000 users per account, plus `<root_account>`). */
  credentialReportRows: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  fileBytes: 128 * 1024 * 1024,
  bundleBytes: 512 * 1024 * 1024,
  archiveEntries: 100_000,
  jsonDepth: 64,
  stringChars: 8 * 1024 * 1024,
  groupsPerUser: 10,
  managedPoliciesPerEntity: 20,
  tagsPerEntity: 50,
  policyChars: 32 * 1024,
  credentialReportRows: 5_001,
});

/** The CLI flag that raises a limit, for hints: `--limits fileBytes=<n>`. */
export function limitHint(name: keyof Limits, value: number): string {
  return `if the input is genuine, raise the limit: \`--limits ${name}=${Math.max(value * 2, value + 1)}\` (default ${DEFAULT_LIMITS[name]})`;
}

/**
 * `fileBytes=1e9,jsonDepth=200` → limits over the defaults. Numbers are plain integers (or with an exponent);
 * throws an Error naming the bad part and the known names.
 */
export function parseLimitsFlag(text: string, base: Readonly<Limits> = DEFAULT_LIMITS): Limits {
  const out: Limits = { ...base };
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(part);
    const known = Object.keys(DEFAULT_LIMITS).join(', ');
    if (!m) throw new Error(`--limits: \`${part}\` is not name=value (names: ${known})`);
    const [, name, raw] = m;
    if (!(name! in DEFAULT_LIMITS)) throw new Error(`--limits: unknown limit \`${name}\` (names: ${known})`);
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`--limits: \`${name}\` must be a positive integer, got \`${raw}\``);
    out[name as keyof Limits] = value;
  }
  return out;
}
