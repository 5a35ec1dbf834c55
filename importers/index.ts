/**
 * The importers' public surface: bundle paths → an AccountSnapshot plus every diagnostic.
 * Pure except for reading the bundle files; knows nothing of graph stores.
 */
import type { Diagnostic } from '../schema/diagnostics.ts';
import { hasErrors } from '../schema/diagnostics.ts';
import { SNAPSHOT_SCHEMA_VERSION, type AccountSnapshot, type Resource } from '../schema/snapshot.ts';
import type { Bundle } from './bundle/read-bundle.ts';
import { placeLines } from './shared/place-lines.ts';
import { splitBundle, type AccountGroup } from './bundle/account-groups.ts';
import { parseOrganizationFiles } from './sources/organizations/parse.ts';
import { normalizeOrganization } from './sources/organizations/normalize.ts';
import { organizationCompleteness } from './sources/organizations/completeness.ts';
import { gaadSource } from './sources/gaad/source.ts';
import type { GaadFragment, GaadInput } from './sources/gaad/normalize.ts';
import { ACCOUNT_SOURCES, openBundle } from './sources/registry.ts';
import type { AccountState } from './sources/source.ts';
import { mergeAccounts } from './snapshot/merge.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';

interface ImportedAccount {
  accountId: string;
  /** Other accounts whose principals the same top-level GAAD holds (their ARNs name them). */
  alsoHolds: string[];
  group: AccountGroup;
  fragment: GaadFragment;
}

const accountsOf = (a: ImportedAccount) => [a.accountId, ...a.alsoHolds];

export type { BundleFile, Bundle } from './bundle/read-bundle.ts';
export { readBundle } from './bundle/read-bundle.ts';
export { openBundle } from './sources/registry.ts';
export { DEFAULT_LIMITS, parseLimitsFlag, type Limits } from './limits.ts';

export interface ImportResult {
  /** Present only when no diagnostic has severity `error`: bad input loads nothing. */
  snapshot?: AccountSnapshot;
  /** Errors and warnings, in input order; the warnings are also in `snapshot.warnings`. */
  diagnostics: Diagnostic[];
}

export interface ImportOptions {
  /** The snapshot's label; default: the (first) bundle's directory name. */
  label?: string;
  /** Called as stages progress: `read` (bundles), `parse` (files), `normalize` (1 step). */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Limits on what is read (importers/limits.ts); unset ones keep their defaults. */
  limits?: Partial<Limits>;
}

/**
 * Import one account from one or more bundle paths (directories, or GAAD files given directly; several paths
 * are several pages/bundles of the same account), or several accounts from a multi-account bundle
 * (`accounts/<id>/` sub-bundles, with or without `organization/`) or a GAAD holding several: all their
 * principals in one snapshot, keyed by ARN (each ARN names its account). Never throws on bad input.
 */
export async function importBundle(paths: string[], options: ImportOptions = {}): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => {});
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const diagnostics: Diagnostic[] = [];
  if (paths.length === 0) {
    return { diagnostics: [{ severity: 'error', code: 'bundle.no-input', message: 'no bundle path given' }] };
  }
  const bundles: Bundle[] = [];
  for (const [i, p] of paths.entries()) {
    const { bundle, diagnostics: ds } = await openBundle(p, limits);
    diagnostics.push(...ds);
    if (bundle) bundles.push(bundle);
    progress('read', i + 1, paths.length);
  }
  if (hasErrors(diagnostics)) return { diagnostics };

  // With several bundle directories, file names could repeat: prefix them with the directory name to keep
  // them apart. A file named directly is shown by its own name.
  const display = (b: Bundle, rel: string) =>
    bundles.length > 1 && b.kind !== 'file' ? `${b.name}/${rel}` : rel;
  const split = bundles.map((b) => splitBundle(b, (rel) => display(b, rel), gaadSource.isPage));
  // Several paths are pages of the same account(s): groups with the same directory (the top level, or the
  // same `accounts/<id>/`) are one.
  const groups: AccountGroup[] = [];
  for (const g of split.flatMap((s) => s.groups)) {
    const same = groups.find((x) => x.declaredAccountId === g.declaredAccountId);
    if (same) {
      same.files.push(...g.files);
      same.gaad.push(...g.gaad);
    } else groups.push({ ...g, files: [...g.files], gaad: [...g.gaad] });
  }
  const orgFiles = split.flatMap((s) => s.organization);
  const allFiles = [...groups.flatMap((g) => g.files), ...orgFiles];
  /** Gives every diagnostic that has a JSON path the line it points at, so editors can jump there. */
  const placed = (ds: Diagnostic[]): Diagnostic[] => {
    placeLines(ds, allFiles);
    return ds;
  };
  for (const s of split)
    for (const f of s.strays)
      diagnostics.push({
        severity: 'warning',
        code: 'bundle.unknown-file',
        message: `\`${f.path}\` is not under \`accounts/<12-digit account id>/\`: ignored`,
        file: f.path,
      });

  const gaadCount = groups.reduce((n, g) => n + g.gaad.length, 0);
  let parsedCount = 0;
  const pagesOf = new Map<AccountGroup, GaadInput[]>();
  for (const g of groups) {
    if (g.gaad.length === 0)
      diagnostics.push({
        severity: 'error',
        code: 'bundle.no-gaad',
        message: `no \`*authorization-details*.json\` in \`${g.where}\``,
        file: g.where,
        hint: "each account directory is a single-account bundle: run `aws iam get-account-authorization-details` with that account's credentials",
      });
    const inputs: GaadInput[] = [];
    for (const f of g.gaad) {
      const r = gaadSource.parse(f, limits);
      diagnostics.push(...r.diagnostics);
      if (r.parsed) inputs.push(r.parsed);
      progress('parse', ++parsedCount, gaadCount);
    }
    pagesOf.set(g, inputs);
  }
  const org = orgFiles.length > 0 ? parseOrganizationFiles(orgFiles, limits) : undefined;
  if (org) diagnostics.push(...org.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics: placed(diagnostics) };

  const imported: ImportedAccount[] = [];
  for (const g of groups) {
    const { fragment, diagnostics: normalizeDiagnostics } = gaadSource.normalize(pagesOf.get(g)!, limits);
    diagnostics.push(...normalizeDiagnostics);
    const ids = [...fragment.accountIds.entries()].sort((a, b) => b[1] - a[1]);
    if (ids.length === 0) {
      diagnostics.push({
        severity: 'error',
        code: 'bundle.no-account-id',
        message: 'no user, group, role or customer managed policy ARN names an account',
        file: g.gaad[0]?.path,
        hint: 'an account with no IAM entities at all has nothing to analyse',
      });
    } else if (g.declaredAccountId !== undefined && ids.some(([id]) => id !== g.declaredAccountId)) {
      diagnostics.push({
        severity: 'error',
        code: 'bundle.account-mismatch',
        message: `\`${g.where}\` holds the IAM data of account \`${ids.find(([id]) => id !== g.declaredAccountId)![0]}\``,
        file: g.gaad[0]?.path,
        hint: 'move it to the directory named after its account',
      });
    } else {
      // A top-level GAAD may hold several accounts' principals: the account with the most entities is the one
      // its credential report, password policy and resource policies belong to.
      const accountId = g.declaredAccountId ?? ids[0]![0];
      imported.push({
        accountId,
        alsoHolds: ids.map(([id]) => id).filter((id) => id !== accountId),
        group: g,
        fragment,
      });
    }
  }
  progress('normalize', 1, 1);
  placed(diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };

  const held = imported.flatMap((a) => accountsOf(a).map((id) => ({ id, where: a.group.where })));
  const twice = held.find((a, i) => held.findIndex((b) => b.id === a.id) !== i);
  if (twice)
    diagnostics.push({
      severity: 'error',
      code: 'bundle.duplicate-account',
      message: `account \`${twice.id}\` is in the input twice`,
      file: twice.where,
    });
  if (hasErrors(diagnostics)) return { diagnostics };

  const organization = org ? normalizeOrganization(org.files) : undefined;
  if (organization) diagnostics.push(...organization.diagnostics);
  // Each account's state from its GAAD, then every registered source over the account's files, in order.
  const perAccount = imported.map((a) => {
    let account: AccountState = {
      accountId: a.accountId,
      partition: a.fragment.partition ?? 'aws',
      iam: a.fragment,
      resources: [],
      sourceFiles: a.group.gaad.map((f) => f.path),
    };
    for (const source of ACCOUNT_SOURCES) {
      const files = source.select(a.group.files);
      if (files.length === 0) continue;
      const parsed = source.parse(files, limits);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.parsed === undefined) continue;
      const normalized = source.normalize(parsed.parsed, account);
      diagnostics.push(...normalized.diagnostics);
      account = normalized.account;
    }
    return { ...a, account };
  });
  placed(diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  diagnostics.push(
    ...organizationCompleteness(
      organization?.organization,
      perAccount.flatMap((a) =>
        accountsOf(a).map((accountId) => ({
          accountId,
          roles: a.account.iam.roles,
          ...(a.group.declaredAccountId ? { where: a.group.where } : {}),
        })),
      ),
    ),
  );

  const merged = mergeAccounts(perAccount.map((a) => a.account.iam));
  diagnostics.push(...merged.diagnostics);
  const management = organization?.organization?.managementAccountId;
  // The snapshot's account: the management account when its data is here (it sees the whole organization),
  // else the first account in the input.
  const primary = perAccount.find((a) => a.accountId === management) ?? perAccount[0]!;
  // The snapshot's own account first (its AccountInfo is the one single-account readers take), then the others
  // in the organization's tree order.
  const orgAccounts = [...(organization?.accounts ?? [])].sort(
    (a, b) => Number(b.id === primary.accountId) - Number(a.id === primary.accountId),
  );
  const accountInfos = [
    ...orgAccounts,
    ...perAccount
      .flatMap(accountsOf)
      .filter((id) => !orgAccounts.some((o) => o.id === id))
      .map((id) => ({ id })),
  ].map((info) => {
    const root = perAccount.find((a) => a.accountId === info.id)?.account.root;
    return root ? { ...info, root } : info;
  });
  const resources = uniqueResources(
    perAccount.map((a) => a.account),
    diagnostics,
  );
  const vpcEndpoints = perAccount.flatMap((a) => a.account.vpcEndpoints ?? []);
  const lastAccess = perAccount.flatMap((a) => a.account.lastAccess ?? []);
  const snapshot: AccountSnapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    accountId: primary.accountId,
    partition: primary.account.partition,
    accounts: accountInfos,
    ...(primary.account.collectedAt ? { collectedAt: primary.account.collectedAt } : {}),
    label: options.label ?? bundles[0]!.name,
    sourceFiles: [
      ...perAccount.flatMap((a) => a.account.sourceFiles),
      ...(organization?.organization ? orgFiles.map((f) => f.path) : []),
    ],
    users: merged.users,
    groups: merged.groups,
    roles: merged.roles,
    policies: merged.policies,
    resources,
    ...(organization?.organization ? { organization: organization.organization } : {}),
    // The model holds one password policy: the primary account's.
    ...(primary.account.passwordPolicy ? { passwordPolicy: primary.account.passwordPolicy } : {}),
    ...(vpcEndpoints.length ? { vpcEndpoints } : {}),
    ...(lastAccess.length > 0 ? { lastAccess } : {}),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
  return { snapshot, diagnostics };
}

/**
 * Every account's resources, each ARN once. An ARN has one owner (S3 bucket names are global, other ARNs name
 * their account), so one listed by two accounts is stale or mixed-up input: the first listing is kept, with a
 * warning naming both accounts.
 */
function uniqueResources(
  perAccount: readonly { accountId: string; resources: readonly Resource[] }[],
  diagnostics: Diagnostic[],
): Resource[] {
  const owner = new Map<string, string>();
  const kept: Resource[] = [];
  for (const a of perAccount)
    for (const r of a.resources) {
      const first = owner.get(r.arn);
      if (first === undefined) {
        owner.set(r.arn, a.accountId);
        kept.push(r);
        continue;
      }
      diagnostics.push({
        severity: 'warning',
        code: 'bundle.duplicate-resource',
        message: `\`${r.arn}\` is listed by account ${first} and again by account ${a.accountId}; the first listing is kept`,
        hint: "a resource has one owner: check which account's resource-policies/ files are stale",
      });
    }
  return kept;
}
