/**
 * Blast-radius deltas through the what-if entry point (the incremental escalation graph included), on the demo
 * with a Lambda role that is admin and a group that may pass it to a new function.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import type { AccountSnapshot } from '../../../importers/snapshot/model.ts';
import { buildEscalationGraph } from '../escalation/build.ts';
import { parseChanges } from './changes.ts';
import { diffOverlay } from './diff.ts';
import { applyChanges } from './overlay.ts';
import { defaultDiffOptions, whatIf } from './what-if.ts';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const LAMBDA_ADMIN = 'arn:aws:iam::111122223333:role/lambda-admin';

let base: AccountSnapshot;
beforeAll(async () => {
  base = applyChanges(
    await importDemo(),
    parseChanges([
      {
        op: 'createRole',
        name: 'lambda-admin',
        document: policy({
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }),
      },
      { op: 'attachPolicy', policy: 'AdministratorAccess', target: 'role/lambda-admin' },
      { op: 'createGroup', name: 'LambdaDeployers' },
      {
        op: 'putInlinePolicy',
        target: 'group/LambdaDeployers',
        name: 'deploy',
        document: policy(
          { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/lambda-*' },
        ),
      },
    ]).changes!,
  ).overlay!.after;
});

describe('blast-radius deltas', () => {
  it('adding carol to the deployers grows her blast radius: lambda-admin reachable, admin reachable', async () => {
    const r = await whatIf(base, [{ op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' }]);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const carol = r.diff.blastRadius!.principals.find((p) => p.arn === demo.carol)!;
    expect(carol.before).toEqual({ admin: 'NONE', reachable: 0 });
    expect(carol.after.admin).toBe('ALLOWED');
    expect(carol.gained).toContain(LAMBDA_ADMIN);
    expect(carol.gainedCount).toBe(carol.after.reachable);
    expect(carol.lost).toEqual([]);
    // Nobody else's reach changed: nobody reaches carol.
    expect(r.diff.blastRadius!.principals.map((p) => p.arn)).toEqual([demo.carol]);
    expect(r.diff.summary.blastRadiusChanged).toBe(1);
  });

  it('a Deny on iam:PassRole added to the group shrinks it again', async () => {
    const withCarol = applyChanges(
      base,
      parseChanges([{ op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' }]).changes!,
    ).overlay!.after;
    const r = await whatIf(withCarol, [
      {
        op: 'putInlinePolicy',
        target: 'group/LambdaDeployers',
        name: 'no-pass',
        document: policy({ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }),
      },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const carol = r.diff.blastRadius!.principals.find((p) => p.arn === demo.carol)!;
    expect(carol.before.admin).toBe('ALLOWED');
    expect(carol.after).toEqual({ admin: 'NONE', reachable: 0 });
    expect(carol.lost).toContain(LAMBDA_ADMIN);
    expect(carol.gained).toEqual([]);
  });

  it('the incremental after graph gives the same diff as building it from scratch', async () => {
    const overlay = applyChanges(
      base,
      parseChanges([
        { op: 'addUserToGroup', user: 'carol', group: 'LambdaDeployers' },
        { op: 'attachPolicy', policy: 'IAMFullAccess', target: 'user/dave' },
      ]).changes!,
    ).overlay!;
    const options = await defaultDiffOptions();
    const incremental = await diffOverlay(overlay, options);
    const { updateEscalation: _, ...rest } = options;
    const scratch = await diffOverlay(overlay, { ...rest, escalation: (s) => buildEscalationGraph(s) });
    expect(incremental.blastRadius).toEqual(scratch.blastRadius);
    expect(incremental.summary).toEqual(scratch.summary);
    // dave reached admin before already (an unconditional path): becoming admin does not change his reach.
    expect(incremental.admins.gained.map((a) => a.arn)).toEqual([demo.dave]);
    expect(incremental.blastRadius!.principals.map((p) => p.arn)).toEqual([demo.carol]);
  });
});
