/**
 * Lambda permissions in the what-if: each is one statement of the function's resource policy, added or removed by
 * statement id as AddPermission and RemovePermission do (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html:
 * a statement id in use is a ResourceConflictException; https://docs.aws.amazon.com/lambda/latest/api/API_RemovePermission.html:
 * an unknown one a ResourceNotFoundException). What the statement grants principals of the account shows in the
 * access diff, as AWS evaluates same-account access (allowed when the identity or the resource policy allows:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html); the incremental diff
 * is held to the from-scratch one. The plan is test/fixtures/terraform-plans/handmade-lambda-permissions-demo.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSnapshot, Resource } from '../../../schema/snapshot.ts';
import { demo, importDemo } from '../../../test/api/demo-fixture.ts';
import { readTerraformPlan, translatePlan } from '../../../importers/terraform-plan/index.ts';
import { loadCatalog, type ActionCatalog } from '../../engine/catalog.ts';
import { parseChanges, type ChangeInput } from './changes.ts';
import { diffOverlay, diffSnapshots } from './diff.ts';
import { createGrantSource } from './grants.ts';
import { applyChanges } from './overlay.ts';

const FN = 'arn:aws:lambda:eu-west-1:111122223333:function:order-processor';
const PLAN = path.resolve(
  import.meta.dirname,
  '../../../test/fixtures/terraform-plans/handmade-lambda-permissions-demo.json',
);

/** The function as `get-policy` printed it: an S3 notification and a partner account may invoke it. */
const orderProcessor: Resource = {
  arn: FN,
  service: 'lambda',
  type: 'function',
  name: 'order-processor',
  accountId: '111122223333',
  region: 'eu-west-1',
  tags: {},
  policy: JSON.stringify({
    Version: '2012-10-17',
    Id: 'default',
    Statement: [
      {
        Sid: 's3-invoke',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: FN,
        Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::example-corp-orders' } },
      },
      {
        Sid: 'partner-invoke',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:root' },
        Action: 'lambda:InvokeFunction',
        Resource: FN,
      },
    ],
  }),
};

let catalog: ActionCatalog;
let snapshot: AccountSnapshot;
beforeAll(async () => {
  catalog = await loadCatalog();
  const base = await importDemo();
  snapshot = { ...base, resources: [...base.resources, orderProcessor] };
}, 60_000);

function apply(input: ChangeInput[]) {
  const parsed = parseChanges(input);
  expect(parsed.diagnostics).toEqual([]);
  return applyChanges(snapshot, parsed.changes!);
}
const sids = (s: AccountSnapshot) =>
  (
    JSON.parse(s.resources.find((r) => r.arn === FN)?.policy ?? '{"Statement":[]}') as {
      Statement: { Sid?: string }[];
    }
  ).Statement.map((x) => x.Sid);

describe('Lambda permissions from a Terraform plan', () => {
  it('the function policy loses and gains statements; carol gains lambda:InvokeFunction on it', async () => {
    const read = readTerraformPlan(readFileSync(PLAN), 'plan.json');
    const translation = translatePlan(read.plan!, 'plan.json');
    const r = apply(translation.changes.map((c) => c.change));
    const overlay = r.overlay!;
    // s3-invoke and partner-invoke removed; the public URL, carol's and the partner's new statement added.
    expect(sids(overlay.after)).toEqual(['FunctionURLAllowPublicAccess', 'carol-invoke', 'partner-invoke']);
    expect(sids(snapshot)).toEqual(['s3-invoke', 'partner-invoke']);
    const added = JSON.parse(overlay.after.resources.find((r) => r.arn === FN)!.policy!).Statement[1];
    expect(added).toEqual({
      Sid: 'carol-invoke',
      Effect: 'Allow',
      Principal: { AWS: demo.carol },
      Action: 'lambda:InvokeFunction',
      Resource: FN,
    });
    // The function the plan creates is not in the snapshot: said, not evaluated.
    expect(r.diagnostics.map((d) => `${d.code} ${d.jsonPath}`)).toEqual([
      'change.unknown-resource changes[5].function',
    ]);
    const incremental = await diffOverlay(overlay, { source: createGrantSource(catalog) });
    const scratch = await diffSnapshots(overlay.before, structuredClone(overlay.after), {
      source: createGrantSource(catalog),
    });
    expect(incremental.principals).toEqual(scratch.principals);
    const carol = incremental.principals.find((p) => p.arn === demo.carol)!;
    // The public URL statement lets every principal of the account invoke the URL; carol's statement names her.
    expect(
      incremental.principals.map((p) => `${p.name}: ${p.granted.map((g) => g.action).join(' ')}`),
    ).toEqual(
      [
        'cfn-deployer',
        'ec2-build-agent',
        'lambda-order-processor',
        'partner-auditor',
        'alice',
        'bob',
        'carol',
        'dave',
        'elena',
        'svc-deploy',
        'svc-notifier',
      ].map((n) => `${n}: ${n === 'carol' ? 'lambda:InvokeFunction ' : ''}lambda:InvokeFunctionUrl`),
    );
    expect(carol.granted.every((g) => g.resource === FN && g.known)).toBe(true);
  }, 60_000);
});

describe('addLambdaPermission / removeLambdaPermission', () => {
  const add = {
    op: 'addLambdaPermission',
    function: 'order-processor',
    action: 'lambda:InvokeFunction',
  } as const;
  it('a statement id in use is refused; an unknown one cannot be removed (its statements listed)', () => {
    const r = apply([{ ...add, principal: '999988887777', statementId: 'partner-invoke' }]);
    expect(r.overlay).toBeUndefined();
    expect(r.diagnostics).toMatchObject([
      { code: 'change.statement-exists', jsonPath: 'changes[0].statementId' },
    ]);
    const gone = apply([{ op: 'removeLambdaPermission', function: FN, statementId: 'nope' }]);
    expect(gone.diagnostics).toMatchObject([
      { code: 'change.unknown-statement', hint: 'its statements: `s3-invoke`, `partner-invoke`' },
    ]);
  });

  it('removing the last statement removes the policy; the function by ARN or partial ARN', () => {
    const r = apply([
      { op: 'removeLambdaPermission', function: FN, statementId: 's3-invoke' },
      {
        op: 'removeLambdaPermission',
        function: '111122223333:function:order-processor',
        statementId: 'partner-invoke',
      },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.overlay!.after.resources.find((x) => x.arn === FN)).not.toHaveProperty('policy');
    expect(r.overlay!.resourcesChanged).toEqual(new Set([FN]));
  });

  it("a version's or alias's policy, another account's function, a function not collected: warned, not evaluated", () => {
    const r = apply([
      { ...add, function: 'order-processor:live', principal: 's3.amazonaws.com' },
      { ...add, function: 'arn:aws:lambda:eu-west-1:999988887777:function:order-processor', principal: '*' },
      { ...add, function: 'reports-export', principal: 'events.amazonaws.com' },
    ]);
    expect(r.diagnostics.map((d) => `${d.code} ${d.jsonPath}`)).toEqual([
      'change.unknown-resource changes[0].function',
      'change.unknown-resource changes[1].function',
      'change.unknown-resource changes[2].function',
    ]);
    expect(r.overlay!.resourcesChanged.size).toBe(0);
  });
});
