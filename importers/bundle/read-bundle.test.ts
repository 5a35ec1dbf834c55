import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBundle } from '../sources/registry.ts';
import { BUNDLE_SCHEMA_PATH, bundleJsonSchemaText } from './bundle-schema.ts';
import {
  COLLECTION_MANIFEST,
  CREDENTIAL_REPORT_CSV,
  CREDENTIAL_REPORT_JSON,
  GAAD,
  ORGANIZATION,
  PASSWORD_POLICY,
  RESOURCE_POLICIES,
} from './layout.ts';

const root = await mkdtemp(path.join(tmpdir(), 'bundle-'));
afterAll(() => rm(root, { recursive: true, force: true }));

async function write(rel: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), text);
}

describe('openBundle', () => {
  it('lists JSON and CSV files with relative paths and picks the GAAD pages by name', async () => {
    await write('authorization-details-1.json', '{}');
    await write('pages/aws-iam-get-account-authorization-details-2.json', '{}');
    await write('resource-policies/s3/b.get-bucket-policy.json', '{"Policy":"{}"}');
    await write('credential-report.csv', 'user\n');
    await write('notes.txt', 'ignored');
    await write('.hidden/authorization-details.json', '{}');
    const { bundle, pages, diagnostics } = await openBundle(root);
    expect(diagnostics).toEqual([]);
    expect(bundle!.files.map((f) => f.path)).toEqual([
      'authorization-details-1.json',
      'credential-report.csv',
      'pages/aws-iam-get-account-authorization-details-2.json',
      'resource-policies/s3/b.get-bucket-policy.json',
    ]);
    expect(pages.map((f) => f.path)).toEqual([
      'authorization-details-1.json',
      'pages/aws-iam-get-account-authorization-details-2.json',
    ]);
    expect(bundle!.files[0]!.absolutePath).toBe(path.join(root, 'authorization-details-1.json'));
    expect(bundle!.files[1]!.text).toBe('user\n');
  });

  it('takes a JSON file given directly as a GAAD page whatever its name', async () => {
    await write('single/my-account.json', '{}');
    const { bundle, pages, diagnostics } = await openBundle(path.join(root, 'single/my-account.json'));
    expect(diagnostics).toEqual([]);
    expect(pages.map((f) => f.path)).toEqual(['my-account.json']);
    expect(bundle!.name).toBe('my-account');
    expect(bundle!.kind).toBe('file');
  });

  it('rejects a missing path, a directory without GAAD, a broken archive and a non-JSON file', async () => {
    await write('empty-bundle/credential-report.csv', 'user\n');
    await write('x.tar.gz', '');
    await write('x.txt', '');
    const codes = async (p: string) => (await openBundle(p)).diagnostics.map((d) => d.code);
    expect(await codes(path.join(root, 'nope'))).toEqual(['bundle.not-found']);
    expect(await codes(path.join(root, 'empty-bundle'))).toEqual(['bundle.no-gaad']);
    expect(await codes(path.join(root, 'x.tar.gz'))).toEqual(['bundle.archive-invalid']);
    expect(await codes(path.join(root, 'x.txt'))).toEqual(['bundle.no-gaad']);
  });
});

describe('schema/snapshot-bundle.schema.json', () => {
  it('is not stale (regenerate: `npx tsx importers/bundle/print-bundle-schema.ts`)', async () => {
    const committed = await readFile(path.resolve(import.meta.dirname, '../..', BUNDLE_SCHEMA_PATH), 'utf8');
    expect(committed).toBe(bundleJsonSchemaText());
  });

  it('names every file of the bundle layout, so a new layout entry cannot be left out', () => {
    const patterns = new Set(
      (JSON.parse(bundleJsonSchemaText())['x-files'] as { pattern: string }[]).map((f) => f.pattern),
    );
    const R = RESOURCE_POLICIES;
    const O = ORGANIZATION;
    const layoutPaths = [
      CREDENTIAL_REPORT_CSV,
      CREDENTIAL_REPORT_JSON,
      PASSWORD_POLICY,
      COLLECTION_MANIFEST,
      O.describeOrganization,
      O.listRoots,
      O.ousForParent('<parent-id>'),
      O.accountsForParent('<parent-id>'),
      O.listPolicies('<SERVICE_CONTROL_POLICY|RESOURCE_CONTROL_POLICY>' as 'SERVICE_CONTROL_POLICY'),
      O.describePolicy('<policy-id>'),
      O.targetsForPolicy('<policy-id>'),
      R.s3ListBuckets,
      R.s3BucketPolicy('<bucket>'),
      R.s3PublicAccessBlock('<bucket>'),
      R.snsTopicAttributes('<region>', '<topic>'),
      R.sqsQueueAttributes('<region>', '<queue>'),
      R.kmsKeyPolicy('<region>', '<key-id>'),
      R.secretsManagerPolicy('<region>', '<secret-name>'),
      R.lambdaPolicy('<region>', '<function>'),
      R.ecrRepositoryPolicy('<region>', '<repository>'),
    ].map((p) => decodeURIComponent(p));
    expect(layoutPaths.filter((p) => !patterns.has(p))).toEqual([]);
    expect(patterns).toContain(`**/*${GAAD.replace(/\.json$/, '')}*.json`);
  });

  it('requires what the importer requires (a role needs its trust policy)', () => {
    const schema = JSON.parse(bundleJsonSchemaText());
    const role =
      schema.$defs.authorizationDetails.properties.RoleDetailList.anyOf?.[0]?.items ??
      schema.$defs.authorizationDetails.properties.RoleDetailList.items;
    expect(role.required).toEqual(
      expect.arrayContaining(['Arn', 'RoleName', 'RoleId', 'Path', 'AssumeRolePolicyDocument']),
    );
  });
});

describe('archived bundles', () => {
  const ARCHIVES = path.resolve(import.meta.dirname, '../../test/fixtures/bundles/archives');
  const DEMO = path.resolve(import.meta.dirname, '../../examples/demo');

  it.each(['demo.tar.gz', 'demo.zip'])(
    '%s holds the demo bundle, its top-level directory as root',
    async (name) => {
      const { bundle, pages, diagnostics } = await openBundle(path.join(ARCHIVES, name));
      expect(diagnostics).toEqual([]);
      expect(bundle!.kind).toBe('archive');
      expect(bundle!.name).toBe('demo');
      expect(bundle!.files.map((f) => f.path)).toEqual([
        'authorization-details.json',
        'credential-report.csv',
        'organization/accounts-for-parent/ou-ec01-workload1.json',
        'organization/accounts-for-parent/r-ec01.json',
        'organization/describe-organization.json',
        'organization/list-policies/SERVICE_CONTROL_POLICY.json',
        'organization/list-roots.json',
        'organization/ous-for-parent/ou-ec01-workload1.json',
        'organization/ous-for-parent/r-ec01.json',
        'organization/policies/p-FullAWSAccess.json',
        'organization/policies/p-ec01protect.json',
        'organization/targets-for-policy/p-FullAWSAccess.json',
        'organization/targets-for-policy/p-ec01protect.json',
        'password-policy.json',
        'resource-policies/kms/eu-central-1/3f0c2a8e-5b7d-4c1e-9a6f-2d4b8e1c7a90.get-key-policy.json',
        'resource-policies/s3/example-corp-engineering.get-bucket-policy.json',
        'resource-policies/s3/example-corp-reports.get-public-access-block.json',
        'resource-policies/secretsmanager/eu-central-1/orders-db.get-resource-policy.json',
        'resource-policies/sns/eu-central-1/order-events.get-topic-attributes.json',
      ]);
      expect(bundle!.files[0]!.absolutePath).toBe(`${path.join(ARCHIVES, name)}!/authorization-details.json`);
      expect(pages[0]!.text).toBe(await readFile(path.join(DEMO, 'authorization-details.json'), 'utf8'));
    },
  );

  it('imports to the same snapshot as the directory', async () => {
    const { importBundle } = await import('../index.ts');
    const dir = await importBundle([DEMO]);
    for (const name of ['demo.tar.gz', 'demo.zip'])
      expect(await importBundle([path.join(ARCHIVES, name)])).toEqual(dir);
  });
});
