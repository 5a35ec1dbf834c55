/** The demo account (examples/demo) shows every finding kind, as examples/demo/README.md lists them. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importBundle } from '../../../importers/index.ts';
import { FINDING_KINDS, findings } from './index.ts';

const DEMO = path.resolve(import.meta.dirname, '../../../examples/demo');

describe('findings on the demo account', async () => {
  const { snapshot } = await importBundle([DEMO]);
  const all = findings(snapshot!);
  const short = (arn: string) =>
    arn.replace('arn:aws:iam::111122223333:', '').replace('arn:aws:iam::aws:', 'aws:');

  it('are exactly the ones the README lists', () => {
    expect(all.map((f) => [f.severity, f.kind, short(f.entities[0]!)])).toEqual([
      ['critical', 'root-access-key', 'root'],
      ['high', 'console-without-mfa', 'user/carol'],
      ['high', 'admin-equivalent', 'user/grace'],
      ['high', 'cross-account-trust-without-external-id', 'role/partner-auditor'],
      ['medium', 'admin-equivalent', 'role/platform-admin'],
      ['medium', 'access-key-not-rotated', 'user/bob'],
      ['medium', 'access-key-not-rotated', 'user/service-accounts/svc-deploy'],
      ['medium', 'unused-credentials', 'user/dave'],
      ['medium', 'technical-user-broad-rights', 'user/service-accounts/svc-deploy'],
      ['medium', 'weak-password-policy', 'root'],
      ['low', 'two-active-access-keys', 'user/service-accounts/svc-deploy'],
      ['low', 'user-with-direct-policies', 'user/carol'],
      ['low', 'inline-policy', 'role/lambda-order-processor'],
      ['low', 'inline-policy', 'user/bob'],
      ['low', 'inline-policy', 'user/service-accounts/svc-deploy'],
      ['low', 'inline-policy', 'user/service-accounts/svc-notifier'],
      ['low', 'empty-group', 'group/Contractors'],
      ['low', 'group-without-policies', 'group/Contractors'],
    ]);
  });

  it('cover every kind but the two completeness warnings (the demo has both files)', () => {
    expect(new Set(all.map((f) => f.kind))).toEqual(
      new Set(
        FINDING_KINDS.filter((k) => k !== 'credential-report-missing' && k !== 'password-policy-missing'),
      ),
    );
  });

  it('measure ages from the report (2026-11-28), so they do not change as the calendar moves', () => {
    expect(snapshot!.collectedAt).toBe('2026-11-28T07:55:00Z');
    expect(all.find((f) => f.kind === 'access-key-not-rotated')!.message).toBe(
      "`bob`'s access key #1 is 655 days old (created 2025-02-10)",
    );
  });
});
