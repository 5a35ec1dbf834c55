/** findings, the user's credentials and the snapshot's password policy and root row through GraphQL (memory store). */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { aSnapshot, aUser } from '../support/builders.ts';
import { queryApi } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';

let store: GraphStore;
let info: SnapshotInfo;

beforeAll(async () => {
  store = createMemoryStore();
  info = await store.load(await importDemo());
});

const FINDINGS = `query($s: ID, $severity: FindingSeverity, $kind: String) {
  findings(snapshotId: $s, severity: $severity, kind: $kind) {
    __typename
    ... on Error { message }
    ... on FindingsResult { snapshotId collectedAt findings { kind severity entities message fix } }
  }
}`;

describe('findings through GraphQL on the demo account', () => {
  it('lists every finding, most severe first, with ages from the credential report', async () => {
    const { body } = await queryApi(store, FINDINGS, { s: info.id });
    const r = body.data.findings;
    expect(r.__typename).toBe('FindingsResult');
    expect(r.collectedAt).toBe('2026-11-28T07:55:00Z');
    expect(r.findings).toHaveLength(18);
    expect(r.findings[0]).toEqual({
      kind: 'root-access-key',
      severity: 'CRITICAL',
      entities: ['arn:aws:iam::111122223333:root'],
      message:
        'the root user of `111122223333` has 1 access key (1 active): unrestricted, unbounded API access',
      fix: 'delete the root access keys (console: Security credentials as root) and use IAM roles instead',
    });
  });

  it('filters by severity (and above) and by kind', async () => {
    const high = (await queryApi(store, FINDINGS, { severity: 'HIGH' })).body.data.findings.findings;
    expect(high.map((f: any) => [f.severity, f.kind])).toEqual([
      ['CRITICAL', 'root-access-key'],
      ['HIGH', 'console-without-mfa'],
      ['HIGH', 'admin-equivalent'],
      ['HIGH', 'cross-account-trust-without-external-id'],
    ]);
    const mfa = (await queryApi(store, FINDINGS, { kind: 'console-without-mfa' })).body.data.findings
      .findings;
    expect(mfa.map((f: any) => f.entities)).toEqual([[demo.carol]]);
  });

  it('an unknown kind is an InvalidArgument result; an unknown snapshot SnapshotNotFound', async () => {
    const bad = (await queryApi(store, FINDINGS, { kind: 'no-such-kind' })).body.data.findings;
    expect(bad.__typename).toBe('InvalidArgument');
    expect(bad.message).toContain('unknown finding kind `no-such-kind`');
    expect((await queryApi(store, FINDINGS, { s: 'nope' })).body.data.findings.__typename).toBe(
      'SnapshotNotFound',
    );
  });

  it('without a credential report, says what was not checked', async () => {
    const bare = await store.load(
      aSnapshot({ accountId: '123412341234', users: [aUser({ account: '123412341234', name: 'x' })] }),
    );
    const r = (await queryApi(store, FINDINGS, { s: bare.id, severity: 'WARNING' })).body.data.findings
      .findings;
    expect(r.map((f: any) => [f.severity, f.kind])).toEqual([
      ['WARNING', 'credential-report-missing'],
      ['WARNING', 'password-policy-missing'],
    ]);
  });
});

describe('credentials through GraphQL on the demo account', () => {
  it('a user shows console password, MFA and access keys with their age', async () => {
    const { body } = await queryApi(
      store,
      `query($arn: String!) { principal(arn: $arn) { ... on QueryPrincipalSuccess { data { ... on User {
        passwordEnabled passwordLastUsed mfaActive accessKeys { slot id active lastRotated ageDays lastUsedDate lastUsedService } } } } } }`,
      { arn: demo.bob },
    );
    expect(body.data.principal.data).toEqual({
      passwordEnabled: true,
      passwordLastUsed: '2026-11-26T09:12:00Z',
      mfaActive: true,
      accessKeys: [
        {
          slot: 1,
          id: null,
          active: true,
          lastRotated: '2025-02-10T11:20:00Z',
          ageDays: 655,
          lastUsedDate: '2026-11-27T17:45:00Z',
          lastUsedService: 'lambda',
        },
      ],
    });
  });

  it('the snapshot shows the password policy with its CIS gaps, and the root row', async () => {
    const { body } = await queryApi(
      store,
      `query($id: ID!) { snapshot(id: $id) { ... on Snapshot {
        passwordPolicy { minimumPasswordLength requireSymbols passwordReusePrevention cisGaps }
        rootCredentials { mfaActive passwordLastUsed accessKeys { slot active ageDays } } } } }`,
      { id: info.id },
    );
    expect(body.data.snapshot).toEqual({
      passwordPolicy: {
        minimumPasswordLength: 8,
        requireSymbols: true,
        passwordReusePrevention: null,
        cisGaps: ['minimum length 8 < 14', 'no reuse prevention', 'no lower-case letter required'],
      },
      rootCredentials: {
        mfaActive: true,
        passwordLastUsed: '2026-09-14T18:20:11Z',
        accessKeys: [{ slot: 1, active: true, ageDays: 2097 }],
      },
    });
  });
});
