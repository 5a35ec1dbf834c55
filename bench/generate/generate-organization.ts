/**
 * A generated organization: N member accounts of one shape, written as a multi-account bundle (bundle/layout.ts:
 * each account's single-account bundle under `accounts/<id>/`, the organization's files once at the top).
 *
 * Members name each other: their cross-account trusts and resource policies name other members (their roots,
 * and for half the cross-account trusts a role of a member generated before), so cross-account edges exist where
 * a policy names another account. Accounts are handed to `sink` one at a time, so a 200-account organization is
 * never held in memory whole.
 *
 * Same options (seed included) → byte-identical files, as for one account.
 */
import { accountDir } from '../../importers/bundle/layout.ts';
import type { Catalog } from './catalog.ts';
import type { BundleFile } from './cli-json.ts';
import {
  broadIamSize,
  generateAccountWith,
  type GenerateOptions,
  type GeneratedAccount,
} from './generate-account.ts';
import { organizationFiles } from './organization.ts';
import { Rng } from './prng.ts';

export interface OrganizationOptions {
  /** Member accounts generated in full (two or more). */
  accounts: number;
  /** Users + roles per account (broadIamSize). */
  principals: number;
  seed: string | number;
  /** Default `broad-iam`. */
  shape?: GenerateOptions['shape'];
}

export interface OrganizationSummary {
  accountIds: string[];
  orgId: string;
  principals: number;
  admins: number;
  files: number;
}

/** How many other members each account's policies may name (the generator's 12 partner accounts). */
const PARTNERS = 12;
/** Roles of earlier members that later members' cross-account trusts may name. */
const PEER_ROLES_PER_ACCOUNT = 5;

/** Generate the organization; `sink` receives every file (account files under `accounts/<id>/`), in order. */
export async function generateOrganization(
  catalog: Catalog,
  options: OrganizationOptions,
  sink: (files: BundleFile[]) => Promise<void> | void,
): Promise<OrganizationSummary> {
  // INVARIANT: the CLI and the bench validate sizes before calling.
  if (!Number.isInteger(options.accounts) || options.accounts < 2)
    throw new Error(`an organization needs two or more accounts, got ${options.accounts}`);
  const rng = new Rng(`accessgraph-organization:${options.seed}`);
  const ids = new Set<string>();
  while (ids.size < options.accounts + 5) ids.add(String(rng.int(100000000000, 999999999999)));
  const [first, ...rest] = [...ids];
  const members = [first!, ...rest.slice(0, options.accounts - 1)];
  const outside = rest.slice(options.accounts - 1);
  const orgId = `o-${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 10)}`;
  const size = { ...broadIamSize(options.principals), shape: options.shape ?? 'broad-iam' };

  const peerRoles: string[] = [];
  let principals = 0;
  let admins = 0;
  let files = 0;
  for (const [i, accountId] of members.entries()) {
    const otherAccounts = Array.from(
      { length: Math.min(PARTNERS, members.length - 1) },
      (_, k) => members[(i + 1 + k) % members.length]!,
    );
    const account: GeneratedAccount = generateAccountWith(catalog, {
      ...size,
      seed: `${options.seed}/${i}`,
      accountId,
      member: { orgId, otherAccounts, peerRoles: [...peerRoles] },
    });
    const prefix = accountDir(accountId);
    await sink(account.files.map((f) => ({ path: `${prefix}/${f.path}`, text: f.text })));
    files += account.files.length;
    principals += account.summary.users + account.summary.roles;
    admins += account.summary.admins.length;
    const roles = account.summary.roleArns;
    const step = Math.max(1, Math.floor(roles.length / PEER_ROLES_PER_ACCOUNT));
    for (let r = 0; r < roles.length && peerRoles.length < 500; r += step) peerRoles.push(roles[r]!);
  }
  const organization = organizationFiles({
    seed: options.seed,
    accountId: first!,
    orgId,
    otherAccounts: outside,
    breakGlassRole: 'OrganizationAccountAccessRole',
    members: members.slice(1),
  });
  await sink(organization.files);
  files += organization.files.length;
  return { accountIds: members, orgId, principals, admins, files };
}
