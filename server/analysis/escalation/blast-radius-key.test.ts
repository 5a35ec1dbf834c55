/**
 * Blast radius asked by access key on the demo account: an active key reaches what its user reaches; an inactive
 * one (credential report `access_key_N_active` false, or a what-if `deactivateAccessKey`) reaches nothing. AWS:
 * "Inactive means that the key cannot be used" (https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html).
 * The demo's credential report shows no key ids (AWS's report has none), so the test names svc-deploy's two keys.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import { importDemo } from '../../../test/api/demo-fixture.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { parseChanges } from '../what-if/changes.ts';
import { applyChanges } from '../what-if/overlay.ts';
import { blastRadiusOf } from './analysis-graph.ts';
import type { BlastRadiusAnswer } from './blast-radius.ts';

const ACTIVE = 'AKIAIOSFODNN7DEPLOY1';
const SECOND = 'AKIAIOSFODNN7DEPLOY2';

async function answer(snapshot: AccountSnapshot, ref: string): Promise<BlastRadiusAnswer> {
  const r = await blastRadiusOf(SnapshotAnalysis.of(snapshot), ref);
  if (r.kind !== 'ok') throw new Error(r.message);
  return r.answer;
}

describe('blast radius from an access key (demo: svc-deploy, whose keys lead to admin)', () => {
  let snapshot: AccountSnapshot;
  let deploy: string;
  beforeAll(async () => {
    const demo = await importDemo();
    const user = demo.users.find((u) => u.name === 'svc-deploy')!;
    deploy = user.arn;
    // Both keys are active in the demo's credential report; slot 2 is made inactive here, as the report's
    // access_key_2_active false would.
    const [one, two] = user.credentials!.accessKeys;
    const credentials = {
      ...user.credentials!,
      accessKeys: [
        { ...one!, id: ACTIVE },
        { ...two!, id: SECOND, active: false },
      ],
    };
    snapshot = { ...demo, users: demo.users.map((u) => (u === user ? { ...user, credentials } : u)) };
  }, 60_000);

  it('an active key reaches what its user reaches, and says it is active', async () => {
    const byKey = await answer(snapshot, ACTIVE);
    const byUser = await answer(snapshot, deploy);
    expect(byKey.start).toEqual({ ...byUser.start, accessKeyId: ACTIVE, accessKeyActive: true });
    expect(byKey.admin.reachable).toBe(true);
    expect({ ...byKey, start: byUser.start }).toEqual(byUser);
  }, 60_000);

  it('an inactive key (credential report) reaches nothing, and the note says how to ask for its user', async () => {
    const a = await answer(snapshot, SECOND);
    expect(a.start).toEqual({
      arn: deploy,
      name: 'svc-deploy',
      kind: 'user',
      accessKeyId: SECOND,
      accessKeyActive: false,
    });
    expect(a.principals).toEqual([]);
    expect(a.admin).toEqual({ reachable: false, conditional: false, paths: [] });
    expect([a.services, a.resources]).toEqual([[], []]);
    expect(a.counts).toEqual({ principals: 0, users: 0, roles: 0, services: 0, resources: 0, adminPaths: 0 });
    expect(a.notes).toEqual([
      `access key ${SECOND} (slot 2) of svc-deploy is inactive: AWS refuses requests signed with it, so it reaches ` +
        `nothing until it is reactivated; what svc-deploy reaches with other credentials: ask by ${deploy}`,
    ]);
  }, 60_000);

  it('a key a what-if deactivates reaches nothing in the snapshot after the change', async () => {
    const { changes } = parseChanges([{ op: 'deactivateAccessKey', user: deploy, accessKeyId: ACTIVE }]);
    const { overlay } = applyChanges(snapshot, changes!);
    expect((await answer(snapshot, ACTIVE)).admin.reachable).toBe(true);
    const after = await answer(overlay!.after, ACTIVE);
    expect(after.start.accessKeyActive).toBe(false);
    expect(after.admin.reachable).toBe(false);
    expect(after.principals).toEqual([]);
  }, 60_000);
});
