/**
 * The organization importer: the OU tree walked from list-roots through the per-parent listings, SCPs and RCPs
 * with their targets, and every way the outputs can disagree (missing listing, unknown target, cycle, duplicate).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { parseOrganizationFiles } from './parse.ts';
import { normalizeOrganization } from './normalize.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/bundles/org-multi');
const REAL = path.resolve(import.meta.dirname, '../../../test/fixtures/organizations');

function orgFiles(): BundleFile[] {
  const dir = path.join(FIXTURE, 'organization');
  const out: BundleFile[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else
        out.push({
          path: `organization/${r}`,
          absolutePath: path.join(dir, r),
          text: readFileSync(path.join(dir, r), 'utf8'),
        });
    }
  };
  walk('');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

function load(files: BundleFile[]) {
  const parsed = parseOrganizationFiles(files);
  // As in importers/index.ts: a file that does not validate stops the import before the tree is built.
  if (parsed.diagnostics.some((d) => d.severity === 'error'))
    return { organization: undefined, accounts: [], diagnostics: parsed.diagnostics };
  const normalized = normalizeOrganization(parsed.files);
  return { ...normalized, diagnostics: [...parsed.diagnostics, ...normalized.diagnostics] };
}

const replace = (files: BundleFile[], file: string, value: unknown): BundleFile[] =>
  files.map((f) => (f.path === file ? { ...f, text: JSON.stringify(value, null, 4) } : f));
const without = (files: BundleFile[], file: string) => files.filter((f) => f.path !== file);
const json = (files: BundleFile[], file: string) => JSON.parse(files.find((f) => f.path === file)!.text);
const errors = (ds: { severity: string; code: string; file?: string; jsonPath?: string }[]) =>
  ds.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.jsonPath]);

describe('organization importer', () => {
  it('builds root → OUs → accounts, with each account under its parent', () => {
    const { organization, accounts, diagnostics } = load(orgFiles());
    expect(diagnostics).toEqual([]);
    const o = organization!;
    expect(o.id).toBe('o-exampleorgid');
    expect(o.managementAccountId).toBe('111111111111');
    expect(o.nodes.map((n) => [n.id, n.kind, n.parentId])).toEqual([
      ['r-ex12', 'root', undefined],
      ['111111111111', 'account', 'r-ex12'],
      ['ou-ex12-prod0001', 'organizationalUnit', 'r-ex12'],
      ['222222222222', 'account', 'ou-ex12-prod0001'],
      ['ou-ex12-sand0001', 'organizationalUnit', 'r-ex12'],
      ['333333333333', 'account', 'ou-ex12-sand0001'],
    ]);
    expect(accounts.map((a) => [a.id, a.name, a.isManagementAccount])).toEqual([
      ['111111111111', 'management', true],
      ['222222222222', 'prod', false],
      ['333333333333', 'sandbox', false],
    ]);
    expect(o.enabledPolicyTypes).toEqual(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']);
    expect(o.collectedPolicyTypes).toEqual(['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY']);
  });

  it('reads SCPs and RCPs with their targets; Content (a JSON string) becomes canonical JSON', () => {
    const o = load(orgFiles()).organization!;
    const byName = new Map(o.policies.map((p) => [p.name, p]));
    expect([...byName.keys()]).toEqual([
      'FullAWSAccess',
      'DenyIamUserCreation',
      'ProtectProdData',
      'RCPFullAWSAccess',
      'FreezeBucketPolicies',
    ]);
    const prod = byName.get('ProtectProdData')!;
    expect(prod).toMatchObject({
      type: 'SERVICE_CONTROL_POLICY',
      awsManaged: false,
      targets: ['ou-ex12-prod0001'],
    });
    expect(JSON.parse(prod.document).Statement[0]).toEqual({
      Sid: 'NoObjectDeletes',
      Effect: 'Deny',
      Action: 's3:DeleteObject',
      Resource: '*',
    });
    expect(prod.document).not.toContain('\n');
    expect(byName.get('FullAWSAccess')!.awsManaged).toBe(true);
    expect(byName.get('FreezeBucketPolicies')!.type).toBe('RESOURCE_CONTROL_POLICY');
  });

  it("parses AWS's own describe-policy and list-policies examples", () => {
    const file = (name: string): BundleFile => ({
      path: name,
      absolutePath: path.join(REAL, name),
      text: readFileSync(path.join(REAL, name), 'utf8'),
    });
    const files = orgFiles()
      .filter(
        (f) =>
          !f.path.includes('/policies/') &&
          !f.path.includes('/list-policies/') &&
          !f.path.includes('/targets-for-policy/'),
      )
      .concat([
        {
          ...file('organizations-list-policies.output.json'),
          path: 'organization/list-policies/SERVICE_CONTROL_POLICY.json',
        },
        {
          ...file('organizations-describe-policy.output.json'),
          path: 'organization/policies/p-examplepolicyid111.json',
        },
      ]);
    const { diagnostics, organization } = load(files);
    // The example lists three policies but describes one and lists no targets: each gap is named.
    expect(errors(diagnostics)).toEqual([
      ['organization.missing-file', 'organization/targets-for-policy/p-examplepolicyid111.json', undefined],
      ['organization.missing-file', 'organization/policies/p-examplepolicyid222.json', undefined],
      ['organization.missing-file', 'organization/targets-for-policy/p-examplepolicyid222.json', undefined],
      ['organization.missing-file', 'organization/policies/p-FullAWSAccess.json', undefined],
      ['organization.missing-file', 'organization/targets-for-policy/p-FullAWSAccess.json', undefined],
    ]);
    expect(organization).toBeDefined();
    const withTargets = [
      ...files,
      {
        path: 'organization/targets-for-policy/p-examplepolicyid111.json',
        absolutePath: '',
        text: JSON.stringify({ Targets: [{ TargetId: 'r-ex12', Name: 'Root', Type: 'ROOT' }] }),
      },
    ];
    const listed = json(withTargets, 'organization/list-policies/SERVICE_CONTROL_POLICY.json');
    const one = replace(withTargets, 'organization/list-policies/SERVICE_CONTROL_POLICY.json', {
      Policies: [listed.Policies[0]],
    });
    const ok = load(one);
    expect(errors(ok.diagnostics)).toEqual([]);
    expect(JSON.parse(ok.organization!.policies[0]!.document)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
  });

  it('a target that is not in the tree is an error at its JSON path', () => {
    const files = orgFiles();
    const f = 'organization/targets-for-policy/p-prodnodel1.json';
    const t = json(files, f);
    t.Targets.push({ TargetId: 'ou-ex12-gone0001', Name: 'Gone', Type: 'ORGANIZATIONAL_UNIT' });
    expect(errors(load(replace(files, f, t)).diagnostics)).toEqual([
      ['organization.unknown-target', f, 'Targets[1].TargetId'],
    ]);
  });

  it('an OU listed under its own child is a cycle, an account under two OUs a duplicate', () => {
    const files = orgFiles();
    const cyclic = replace(files, 'organization/ous-for-parent/ou-ex12-prod0001.json', {
      OrganizationalUnits: [{ Id: 'ou-ex12-prod0001', Name: 'Prod' }],
    });
    expect(errors(load(cyclic).diagnostics)).toEqual([
      [
        'organization.cycle',
        'organization/ous-for-parent/ou-ex12-prod0001.json',
        'OrganizationalUnits[0].Id',
      ],
    ]);
    const twice = replace(files, 'organization/accounts-for-parent/ou-ex12-sand0001.json', {
      Accounts: [
        { Id: '333333333333', Name: 'sandbox' },
        { Id: '222222222222', Name: 'prod' },
      ],
    });
    expect(errors(load(twice).diagnostics)).toEqual([
      [
        'organization.duplicate-node',
        'organization/accounts-for-parent/ou-ex12-sand0001.json',
        'Accounts[1].Id',
      ],
    ]);
  });

  it('a missing per-parent listing or describe-organization is an error that names the command', () => {
    const { diagnostics } = load(without(orgFiles(), 'organization/ous-for-parent/ou-ex12-sand0001.json'));
    expect(errors(diagnostics)).toEqual([
      ['organization.missing-file', 'organization/ous-for-parent/ou-ex12-sand0001.json', undefined],
    ]);
    expect(diagnostics[0]!.hint).toContain(
      'list-organizational-units-for-parent --parent-id ou-ex12-sand0001',
    );
    const noOrg = load(without(orgFiles(), 'organization/describe-organization.json'));
    expect(noOrg.organization).toBeUndefined();
    expect(errors(noOrg.diagnostics)).toEqual([
      ['organization.missing-file', 'organization/describe-organization.json', undefined],
    ]);
  });

  it('wrong types, duplicate policies and an SCP with a Principal are errors with JSON paths', () => {
    const files = orgFiles();
    const list = 'organization/list-policies/SERVICE_CONTROL_POLICY.json';
    const l = json(files, list);
    expect(
      errors(load(replace(files, list, { Policies: [...l.Policies, l.Policies[1]] })).diagnostics),
    ).toEqual([['organization.duplicate-policy', list, 'Policies[3].Id']]);
    const acc = 'organization/accounts-for-parent/r-ex12.json';
    expect(errors(load(replace(files, acc, { Accounts: [{ Id: 111111111111 }] })).diagnostics)).toEqual([
      ['organization.wrong-type', acc, 'Accounts[0].Id'],
    ]);
    const pol = 'organization/policies/p-prodnodel1.json';
    const p = json(files, pol);
    const doc = JSON.parse(p.Policy.Content);
    doc.Statement[0].Principal = '*';
    p.Policy.Content = JSON.stringify(doc);
    const bad = load(replace(files, pol, p)).diagnostics.filter((d) => d.severity === 'error');
    expect(bad.map((d) => [d.file, d.jsonPath?.startsWith('Policy.Content.Statement[0]')])).toEqual([
      [pol, true],
    ]);
  });
});
