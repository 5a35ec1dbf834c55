import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../bench/generate/catalog.ts';
import {
  ALL_USERS_GROUP,
  SELF_SERVICE_CREDENTIALS_POLICY,
  SELF_SERVICE_POLICY_NAME,
} from '../../bench/generate/broad-iam.ts';
import {
  GAAD_PATH,
  PRESETS,
  broadIamSize,
  generateAccountWith,
  writeAccount,
  type GeneratedAccount,
} from '../../bench/generate/generate-account.ts';
import { generateOrganization } from '../../bench/generate/generate-organization.ts';
import type { BundleFile } from '../../bench/generate/cli-json.ts';
import { importBundle } from '../../importers/index.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';
import { adminEquivalence } from '../../server/analysis/escalation/admin.ts';
import { parsePolicy } from '../../server/engine/index.ts';

type Obj = Record<string, any>;
const gaadOf = (a: GeneratedAccount): Obj => JSON.parse(a.files.find((f) => f.path === GAAD_PATH)!.text);
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function imported(files: BundleFile[]): Promise<AccountSnapshot> {
  const dir = await mkdtemp(join(tmpdir(), 'accessgraph-broad-iam-'));
  try {
    await writeAccount({ files }, dir);
    const { snapshot, diagnostics } = await importBundle([dir], {});
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return snapshot!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the broad-IAM shape', () => {
  let account: GeneratedAccount;
  let snapshot: AccountSnapshot;
  beforeAll(async () => {
    const catalog = await loadCatalog();
    account = generateAccountWith(catalog, { ...broadIamSize(400), seed: 'broad' });
    snapshot = await imported(account.files);
  });

  it('makes 15–25 % of principals admin-equivalent by the engine’s verdict, the ones the summary names', () => {
    const principals = [...snapshot.users, ...snapshot.roles];
    expect(principals).toHaveLength(400);
    const admins = principals.filter((p) => adminEquivalence(snapshot, p.arn)?.decision === 'ALLOWED');
    expect(admins.length / principals.length).toBeGreaterThanOrEqual(0.15);
    expect(admins.length / principals.length).toBeLessThanOrEqual(0.25);
    // The standard shape's admin role may carry a boundary; every broad-IAM admin is one in fact.
    const engine = new Set(admins.map((p) => p.arn));
    const missing = account.summary.admins.filter((a) => !engine.has(a));
    expect(missing.length).toBeLessThanOrEqual(1);
  });

  it('has a third of the roles trusting the account root', () => {
    const root = `arn:aws:iam::${account.accountId}:root`;
    const roles = gaadOf(account).RoleDetailList as Obj[];
    const trustingRoot = roles.filter((r) =>
      (r.AssumeRolePolicyDocument.Statement as Obj[]).some((s) => asList(s.Principal?.AWS).includes(root)),
    );
    expect(trustingRoot.length / roles.length).toBeGreaterThan(0.27);
    expect(trustingRoot.length / roles.length).toBeLessThan(0.4);
  });

  it('grants broad and scoped IAM writes and broad sts:AssumeRole to many principals', () => {
    const gaad = gaadOf(account);
    const principals = [...gaad.UserDetailList, ...gaad.RoleDetailList] as Obj[];
    const holding = (name: string) =>
      principals.filter((p) => (p.AttachedManagedPolicies as Obj[]).some((a) => a.PolicyName === name))
        .length;
    const iamWrite =
      holding('DeveloperIamFullAccess') +
      holding('IamUserAndRoleManagement') +
      holding('ServiceRoleManagement');
    expect(iamWrite / principals.length).toBeGreaterThan(0.2);
    expect(holding('ServiceRoleManagement')).toBeGreaterThan(holding('DeveloperIamFullAccess'));
    expect((holding('AssumeAnyRole') + holding('AssumeAccountRoles')) / principals.length).toBeGreaterThan(
      0.3,
    );
    // Scoped grants have something to match: roles named service-*.
    expect((gaad.RoleDetailList as Obj[]).some((r) => String(r.RoleName).startsWith('service-'))).toBe(true);
  });

  it('puts every user in a group carrying AWS’s self-service credentials policy, which the engine parses', () => {
    const gaad = gaadOf(account);
    expect(
      (gaad.UserDetailList as Obj[]).every((u) => (u.GroupList as string[]).includes(ALL_USERS_GROUP)),
    ).toBe(true);
    const group = (gaad.GroupDetailList as Obj[]).find((g) => g.GroupName === ALL_USERS_GROUP)!;
    expect(group.AttachedManagedPolicies.map((a: Obj) => a.PolicyName)).toEqual([SELF_SERVICE_POLICY_NAME]);
    const parsed = parsePolicy(JSON.stringify(SELF_SERVICE_CREDENTIALS_POLICY), { kind: 'identity' });
    expect(parsed.policy).toBeDefined();
    expect(parsed.diagnostics).toEqual([]);
    // The AWS example scopes every credential statement to the caller's own user.
    const scoped = SELF_SERVICE_CREDENTIALS_POLICY.Statement.filter((s) => s.Resource !== '*');
    expect(scoped.map((s) => s.Resource)).toEqual(Array(5).fill('arn:aws:iam::*:user/${aws:username}'));
  });

  it('is deterministic by seed', async () => {
    const catalog = await loadCatalog();
    const again = generateAccountWith(catalog, { ...broadIamSize(400), seed: 'broad' });
    expect(again.files).toEqual(account.files);
    const other = generateAccountWith(catalog, { ...broadIamSize(400), seed: 'other' });
    expect(other.files[0]!.text).not.toEqual(account.files[0]!.text);
  });

  it('adds only the self-service group and policy to the large preset in its variant', async () => {
    const catalog = await loadCatalog();
    const size = { ...PRESETS.small, seed: 1 };
    const plain = gaadOf(generateAccountWith(catalog, size));
    const withGroup = gaadOf(generateAccountWith(catalog, { ...size, selfServiceGroup: true }));
    expect(PRESETS['large-self-service']).toEqual({ ...PRESETS.large, selfServiceGroup: true });
    expect(withGroup.RoleDetailList).toEqual(plain.RoleDetailList);
    expect(withGroup.GroupDetailList.slice(0, -1)).toEqual(plain.GroupDetailList);
    expect(withGroup.UserDetailList.map((u: Obj) => ({ ...u, GroupList: u.GroupList.slice(0, -1) }))).toEqual(
      plain.UserDetailList,
    );
    const names = (g: Obj) => (g.Policies as Obj[]).map((p) => p.PolicyName);
    expect(names(withGroup).filter((n) => !names(plain).includes(n))).toEqual([SELF_SERVICE_POLICY_NAME]);
  });
});

describe('a generated organization', () => {
  const files: BundleFile[] = [];
  let snapshot: AccountSnapshot;
  let accountIds: string[];
  beforeAll(async () => {
    const summary = await generateOrganization(
      await loadCatalog(),
      { accounts: 3, principals: 60, seed: 'org' },
      (f) => void files.push(...f),
    );
    accountIds = summary.accountIds;
    snapshot = await imported(files);
  });
  afterAll(() => void files.splice(0));

  it('imports as one organization of its member accounts, each under accounts/<id>/', async () => {
    expect(
      new Set(files.filter((f) => f.path.startsWith('accounts/')).map((f) => f.path.split('/')[1])),
    ).toEqual(new Set(accountIds));
    const withPrincipals = new Set([...snapshot.users, ...snapshot.roles].map((p) => p.arn.split(':')[4]));
    expect(withPrincipals).toEqual(new Set(accountIds));
    const inOrg = new Set(snapshot.accounts.map((a) => a.id));
    for (const id of accountIds) expect(inOrg.has(id)).toBe(true);
  });

  it('has roles trusting another member (its root or one of its roles)', () => {
    const crossTrusts = snapshot.roles.filter((r) => {
      const own = r.arn.split(':')[4]!;
      return accountIds.some((other) => other !== own && r.trustPolicy.includes(`::${other}:`));
    });
    expect(crossTrusts.length).toBeGreaterThan(0);
  });

  // S3 bucket names are global (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
  // two accounts never list the same bucket.
  it('names every member’s buckets apart', () => {
    const byAccount = accountIds.map((id) => {
      const list = files.find((f) => f.path === `accounts/${id}/resource-policies/s3/list-buckets.json`);
      return (JSON.parse(list!.text) as { Buckets: { Name: string }[] }).Buckets.map((b) => b.Name);
    });
    const all = byAccount.flat();
    expect(all.length).toBeGreaterThan(accountIds.length * 5);
    expect(new Set(all).size).toBe(all.length);
  });

  it('is deterministic by seed', async () => {
    const again: BundleFile[] = [];
    await generateOrganization(await loadCatalog(), { accounts: 3, principals: 60, seed: 'org' }, (f) => {
      again.push(...f);
    });
    expect(again).toEqual(files);
  });
});
