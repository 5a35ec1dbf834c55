import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateAccount,
  PRESETS,
  writeAccount,
  type GeneratedAccount,
} from '../../bench/generate/generate-account.ts';
import { SkipSection, importOptional } from '../../bench/harness/context.ts';
import {
  bruteForceWhoCan,
  compileAllPrincipals,
  compileDistinctPolicies,
} from '../../bench/harness/brute-force.ts';
import { principalPolicySet } from '../../server/analysis/policy-set.ts';
import { compilePolicySet, evaluateCompiled } from '../../server/engine/index.ts';
import { importBundle } from '../../importers/index.ts';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';

// The bench is only meaningful if the generated bundle is a valid input: import it for real.
describe('a generated bundle through importBundle and the embedded store', () => {
  let dir: string;
  let account: GeneratedAccount;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accessgraph-generated-'));
    account = await generateAccount({ ...PRESETS.tiny, seed: 'import' });
    await writeAccount(account, dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports without errors; the only warning is the boundary-only AWS managed policy GAAD leaves out', async () => {
    const result = await importBundle([dir]);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(new Set(result.diagnostics.map((d) => d.code))).toEqual(new Set(['gaad.aws-policy-filled']));
    expect(result.diagnostics[0]!.message).toContain('PowerUserAccess');
    const s = result.snapshot!;
    expect(s.accountId).toBe('111122223333');
    // The credential report (JSON form, with its GeneratedTime) and the password policy imported too.
    expect(s.users.every((u) => u.credentials !== undefined)).toBe(true);
    expect(s.collectedAt).toBeDefined();
    expect(s.passwordPolicy?.minimumPasswordLength).toBeGreaterThan(0);
    expect([s.users.length, s.groups.length, s.roles.length]).toEqual([
      PRESETS.tiny.users,
      PRESETS.tiny.groups,
      PRESETS.tiny.roles,
    ]);
    // Customer managed + attached AWS managed + the boundary-only one the importer filled in.
    expect(s.policies).toHaveLength(
      account.summary.customerManagedPolicies + account.summary.awsManagedPolicies + 1,
    );
    const multi = s.policies.filter((p) => p.kind === 'customerManaged' && p.versions.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const p of s.policies)
      expect(p.versions.filter((v) => v.isDefault).map((v) => v.versionId)).toEqual([p.defaultVersionId]);

    const store = createMemoryStore();
    const info = await store.load(s);
    expect(info.counts).toMatchObject({
      users: PRESETS.tiny.users,
      groups: PRESETS.tiny.groups,
      roles: PRESETS.tiny.roles,
    });
    const admins = await store.getGroupMembers(info.id, 'arn:aws:iam::111122223333:group/Administrators');
    const gaad = JSON.parse(account.files[0]!.text) as {
      UserDetailList: { Arn: string; GroupList: string[] }[];
    };
    const inAdminsGroup = gaad.UserDetailList.filter((u) => u.GroupList.includes('Administrators')).map(
      (u) => u.Arn,
    );
    expect(inAdminsGroup).toHaveLength(3);
    expect(admins.map((p) => p.arn).sort()).toEqual(inAdminsGroup.sort());
    expect(account.summary.admins).toEqual(expect.arrayContaining(inAdminsGroup));
    await store.close();
  });

  it('every source the importers read is in the bundle and shows up in the snapshot', async () => {
    const result = await importBundle([dir]);
    expect(result.diagnostics.filter((d) => d.code !== 'gaad.aws-policy-filled')).toEqual([]);
    const s = result.snapshot!;
    // Every generated file was read by an importer (none ignored as unknown), and nothing else was.
    expect([...s.sourceFiles].sort()).toEqual(account.files.map((f) => f.path).sort());

    const r = account.summary.resources;
    const byService = (service: string) => s.resources.filter((x) => x.service === service);
    const withPolicy = (service: string) => byService(service).filter((x) => x.policy !== undefined).length;
    expect(
      ['s3', 'sns', 'sqs', 'kms', 'secretsmanager', 'lambda', 'ecr'].map((svc) => [
        svc,
        byService(svc).length,
        withPolicy(svc),
      ]),
    ).toEqual([
      ['s3', account.summary.buckets + r.bucketsWithoutPolicy, account.summary.buckets],
      ['sns', r.topics, r.topics],
      ['sqs', r.queues, r.queues - r.queuesWithoutPolicy],
      ['kms', r.keys, r.keys],
      ['secretsmanager', r.secrets, r.secrets - r.secretsWithoutPolicy],
      ['lambda', r.functions, r.functions],
      ['ecr', r.repositories, r.repositories],
    ]);
    expect(r.bucketsWithoutPolicy).toBeGreaterThan(0);
    // list-buckets says the policy-less buckets have none (rather than "not collected") and where they are.
    for (const b of byService('s3')) {
      expect(b.attributes?.policyCollected, b.arn).toBeUndefined();
      expect(b.region, b.arn).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    }
    // Names with `/` went through the layout's %2F escaping and came back whole.
    expect(byService('secretsmanager').every((x) => x.name.includes('/'))).toBe(true);
    expect(
      byService('ecr').every((x) => x.name.includes('/') && x.arn.endsWith(`repository/${x.name}`)),
    ).toBe(true);
    for (const x of byService('kms'))
      expect(x.arn).toMatch(/^arn:aws:kms:[a-z0-9-]+:111122223333:key\/[0-9a-f-]{36}$/);

    // The organization: this account in Prod under Workloads, SCPs and RCPs with their targets.
    const org = s.organization!;
    expect(org.id).toBe(account.summary.organization!.id);
    expect(org.managementAccountId).toBe(account.summary.organization!.managementAccountId);
    expect(org.enabledPolicyTypes).toEqual(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']);
    const node = (id: string) => org.nodes.find((n) => n.id === id)!;
    const path: string[] = [];
    for (let n = node('111122223333'); n; n = n.parentId ? node(n.parentId) : undefined!)
      path.unshift(n.name);
    expect(path).toEqual(['Root', 'Workloads', 'Prod', 'acme-prod']);
    expect(s.accounts.map((a) => a.id)[0]).toBe('111122223333');
    expect(s.accounts).toHaveLength(account.summary.organization!.accounts);
    expect(
      org.policies.map((p) => [
        p.type,
        p.name,
        p.targets
          .map((t) => node(t).name)
          .sort()
          .join(','),
      ]),
    ).toEqual([
      [
        'SERVICE_CONTROL_POLICY',
        'FullAWSAccess',
        org.nodes
          .map((n) => n.name)
          .sort()
          .join(','),
      ],
      ['SERVICE_CONTROL_POLICY', 'ProtectAuditTrail', 'Root'],
      ['SERVICE_CONTROL_POLICY', 'ProtectSecurityServices', 'Workloads'],
      [
        'RESOURCE_CONTROL_POLICY',
        'RCPFullAWSAccess',
        org.nodes
          .map((n) => n.name)
          .sort()
          .join(','),
      ],
      ['RESOURCE_CONTROL_POLICY', 'FreezeResourcePolicies', 'Prod'],
    ]);
    // The engine applies them: one SCP level per node from the root down; the root's Deny holds for the
    // break-glass admin role, whose own exemption (aws:PrincipalArn) lifts only the conditional Deny.
    const admin = account.summary.admins.find((a) => a.includes(':role/'))!;
    const set = principalPolicySet(s, admin)!;
    expect(set.scps?.map((level) => level.map((p) => p.name))).toEqual([
      ['FullAWSAccess', 'ProtectAuditTrail'],
      ['FullAWSAccess', 'ProtectSecurityServices'],
      ['FullAWSAccess'],
      ['FullAWSAccess'],
    ]);
    const compiled = compilePolicySet(set);
    const deniedBy = (action: string) =>
      evaluateCompiled({ principal: admin, action, resource: '*' }, compiled).deniedBy;
    expect(deniedBy('organizations:LeaveOrganization')).toEqual({ kind: 'explicit', layer: 'scp', level: 0 });
    expect(deniedBy('cloudtrail:StopLogging')?.layer).not.toBe('scp');

    // Credentials (credential report, root row) and the password policy.
    expect(s.users.every((u) => u.credentials !== undefined)).toBe(true);
    expect(s.accounts[0]!.root).toBeDefined();
    expect(s.passwordPolicy?.minimumPasswordLength).toBeGreaterThan(0);
  });
});

describe('importOptional (how bench sections detect a dependency that has not landed)', () => {
  it('skips with the missing file named', async () => {
    const e = await importOptional('server/analysis/does-not-exist.ts', 'x').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(SkipSection);
    expect((e as Error).message).toBe('`server/analysis/does-not-exist.ts` has not landed yet');
  });

  it('skips when the file exists without the export, and returns the export when present', async () => {
    const e = await importOptional('bench/harness/measure.ts', 'nope').catch((err: unknown) => err);
    expect((e as Error).message).toBe('`bench/harness/measure.ts` does not export `nope` yet');
    const median = await importOptional<(xs: number[]) => number>('bench/harness/measure.ts', 'median');
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe('brute-force who-can over a generated account (the baseline the index must beat)', () => {
  it('compiles every principal, and gathers group and boundary policies the way IAM evaluates them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accessgraph-generated-'));
    try {
      const account = await generateAccount({ ...PRESETS.small, seed: 'brute' });
      await writeAccount(account, dir);
      const s = (await importBundle([dir])).snapshot!;
      const engine = { compilePolicySet, evaluateCompiled };
      const all = compileAllPrincipals(engine, s);
      // The engine accepts every policy the generator writes.
      expect(all.failures).toEqual([]);
      expect(all.compiled).toHaveLength(s.users.length + s.roles.length);
      const inline = [...s.users, ...s.groups, ...s.roles].reduce((n, o) => n + o.inlinePolicies.length, 0);
      expect(compileDistinctPolicies(engine, s)).toBe(s.policies.length + inline);

      const member = s.users.find((u) =>
        u.groups.includes('arn:aws:iam::111122223333:group/Administrators'),
      )!;
      const set = principalPolicySet(s, member.arn)!;
      expect(set.identity).toContainEqual(
        expect.objectContaining({
          id: 'arn:aws:iam::aws:policy/AdministratorAccess',
          attachedVia: [member.arn, 'arn:aws:iam::111122223333:group/Administrators'],
        }),
      );
      const bounded = s.users.find(
        (u) => u.permissionsBoundary === 'arn:aws:iam::aws:policy/PowerUserAccess',
      )!;
      expect(principalPolicySet(s, bounded.arn)?.boundary?.id).toBe(
        'arn:aws:iam::aws:policy/PowerUserAccess',
      );

      // Admins can (or can with MFA, when one of their other groups carries the force-MFA Deny); most can't.
      const request = { action: 'iam:CreateUser', resource: 'arn:aws:iam::111122223333:user/new' };
      const decisionOf = new Map(
        all.compiled.map((c) => [c.arn, evaluateCompiled({ ...request, principal: c.arn }, c.set).decision]),
      );
      for (const admin of account.summary.admins)
        expect(['ALLOWED', 'CONDITIONAL'], admin).toContain(decisionOf.get(admin));
      expect(
        account.summary.admins.filter((a) => decisionOf.get(a) === 'ALLOWED').length,
      ).toBeGreaterThanOrEqual(3);
      const decisions = bruteForceWhoCan(engine, all, request);
      expect(decisions.ALLOWED).toBe([...decisionOf.values()].filter((d) => d === 'ALLOWED').length);
      expect(decisions.DENIED).toBeGreaterThan(s.users.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
