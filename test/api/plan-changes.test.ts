/**
 * planChanges through GraphQL on the demo account: a Terraform plan or CloudFormation change set becomes the
 * changes whatIf takes, with the importer's summary and diagnostics; bad plans are InvalidPlan results naming
 * the JSON path.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/graph/memory/memory-store.ts';
import type { GraphStore, SnapshotInfo } from '../../server/graph/store.ts';
import { queryApi } from './api-fixture.ts';
import { demo, importDemo } from './demo-fixture.ts';
import { WHAT_IF } from './what-if-queries.ts';

const fixture = (dir: string, name: string): string =>
  readFileSync(new URL(`../fixtures/${dir}/${name}`, import.meta.url), 'utf8');
const plan = (name: string) => fixture('terraform-plans', name);

const PLAN_CHANGES = `query($snapshotId: ID, $text: String!, $format: PlanFormat, $file: String) {
  planChanges(snapshotId: $snapshotId, text: $text, format: $format, file: $file) {
    __typename
    ... on Error { message }
    ... on InvalidPlan { diagnostics { severity code message file jsonPath line hint } }
    ... on PlanChanges {
      format resources iam unchanged
      ignored { type count }
      changes { address jsonPath change { op target policy name document user group path } }
      exposures { address resource kind who conditional }
      warnings { code message jsonPath }
    }
  }
}`;

let store: GraphStore;
let snapshot: SnapshotInfo;

beforeAll(async () => {
  store = createMemoryStore();
  snapshot = await store.load(await importDemo());
});

const ask = async (text: string, extra: Record<string, unknown> = {}) =>
  (await queryApi(store, PLAN_CHANGES, { snapshotId: snapshot.id, text, ...extra })).body.data.planChanges;

/** A change as whatIf takes it: GraphQL's nulls for the fields an op does not take dropped. */
const asInput = (change: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(change).filter(([, v]) => v !== null));

describe('planChanges', () => {
  it('the plan attaching AmazonS3FullAccess to QA gives the change and the same diff as the attach itself', async () => {
    const r = await ask(plan('handmade-attach-s3-to-qa.json'), { file: 'attach.json' });
    expect(r).toMatchObject({ __typename: 'PlanChanges', format: 'TERRAFORM_PLAN', resources: 1, iam: 1 });
    expect(r.changes).toEqual([
      {
        address: 'aws_iam_group_policy_attachment.qa_s3',
        jsonPath: 'resource_changes[0]',
        change: {
          op: 'attachPolicy',
          target: 'group/QA',
          policy: demo.s3Full,
          name: null,
          document: null,
          user: null,
          group: null,
          path: null,
        },
      },
    ]);
    const fromPlan = await queryApi(store, WHAT_IF, {
      snapshotId: snapshot.id,
      changes: r.changes.map((c: any) => asInput(c.change)),
    });
    const fromFlags = await queryApi(store, WHAT_IF, {
      snapshotId: snapshot.id,
      changes: [{ op: 'attachPolicy', policy: 'AmazonS3FullAccess', target: 'group/QA' }],
    });
    expect(fromPlan.body.data.whatIf.__typename).toBe('WhatIfResult');
    expect(fromPlan.body.data.whatIf.diff).toEqual(fromFlags.body.data.whatIf.diff);
    expect(fromPlan.body.data.whatIf.affected).toEqual([demo.dave]);
  });

  it('counts the resources it ignores and reports values unknown until apply', async () => {
    const noIam = await ask(plan('infracost-no-iam.json'));
    expect(noIam.__typename).toBe('PlanChanges');
    expect(noIam.changes).toEqual([]);
    expect(noIam.ignored.length).toBeGreaterThan(0);
    expect(noIam.ignored.reduce((n: number, i: any) => n + i.count, 0)).toBeLessThanOrEqual(noIam.resources);
    // Sorted by count, most first.
    const counts = noIam.ignored.map((i: any) => i.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const unknown = await ask(plan('checkov-bucket-policy-unknown.json'));
    expect(unknown.__typename).toBe('PlanChanges');
    expect(unknown.warnings.map((w: any) => w.code)).toContain('terraform-plan.unknown-value');
  });

  it('reads a CloudFormation change set, the format detected from its `Changes`', async () => {
    const r = await ask(fixture('cloudformation-change-sets', 'handmade-modify-remove-demo.json'));
    expect(r.__typename).toBe('PlanChanges');
    expect(r.format).toBe('CLOUDFORMATION_CHANGE_SET');
    expect(r.changes.length).toBeGreaterThan(0);
    for (const c of r.changes) expect(c.address).not.toContain('.'); // logical ids, not Terraform addresses
  });

  it('a plan whose resource changes are malformed is InvalidPlan naming the JSON path', async () => {
    const bad = JSON.stringify({
      format_version: '1.2',
      resource_changes: [{ address: 'aws_iam_user.x', mode: 'managed', type: 'aws_iam_user', name: 'x' }],
    });
    const r = await ask(bad, { file: 'bad.json' });
    expect(r.__typename).toBe('InvalidPlan');
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'ERROR',
      code: 'terraform-plan.invalid',
      file: 'bad.json',
      jsonPath: 'resource_changes[0].change',
    });
    expect(r.message).toContain('(resource_changes[0].change)');
  });

  it('not JSON, a state file, an unknown format version, another account: InvalidPlan with its code', async () => {
    const cases: [string, string, string | null][] = [
      ['Terraform will perform the following actions:', 'terraform-plan.invalid-json', null],
      [JSON.stringify({ version: 4, values: {}, format_version: '1.0' }), 'terraform-plan.state-file', null],
      [
        JSON.stringify({ format_version: '2.0', resource_changes: [] }),
        'terraform-plan.unsupported-version',
        'format_version',
      ],
    ];
    for (const [text, code, jsonPath] of cases) {
      const r = await ask(text);
      expect(r.__typename, code).toBe('InvalidPlan');
      expect(r.diagnostics[0].code).toBe(code);
      expect(r.diagnostics[0].jsonPath).toBe(jsonPath);
      expect(r.diagnostics[0].hint).toBeTruthy();
    }
    const other = await ask(plan('snyk-destroy-roles.json'));
    expect(other.__typename).toBe('InvalidPlan');
    expect(other.diagnostics[0].code).toBe('terraform-plan.account-mismatch');
    expect(other.diagnostics[0].jsonPath).toMatch(/^resource_changes\[\d+\]\.change\.before\.arn$/);
    expect(other.message).toContain('111122223333');
  });

  it('an unknown snapshot is SnapshotNotFound', async () => {
    const r = await ask(plan('handmade-attach-s3-to-qa.json'), { snapshotId: 'nope' });
    expect(r.__typename).toBe('SnapshotNotFound');
  });
});
