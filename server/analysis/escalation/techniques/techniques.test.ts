/**
 * The combined catalog: every pathfinding.cloud path read and modelled, and every technique we require present
 * (by its permissions, whichever catalog it comes from).
 */
import { describe, expect, it } from 'vitest';
import { loadTechniques, readPathfindingPaths, rulesFromPaths } from './load.ts';

describe('technique catalog', async () => {
  const rules = await loadTechniques();
  const byActions = (...actions: string[]) =>
    rules.filter((r) =>
      actions.every((a) => r.requires.some((q) => q.action.toLowerCase() === a.toLowerCase())),
    );

  it('has the 65 pathfinding.cloud paths, each with a model, plus ours; ids unique', async () => {
    const paths = await readPathfindingPaths();
    expect(paths).toHaveLength(65);
    expect(rules.filter((r) => r.origin === 'pathfinding.cloud')).toHaveLength(65);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    // The YAML's required permissions are the rule's, in order.
    const lambda1 = rules.find((r) => r.id === 'lambda-001')!;
    expect(lambda1.requires.map((r) => r.action)).toEqual([
      'iam:PassRole',
      'lambda:CreateFunction',
      'lambda:InvokeFunction',
    ]);
    expect(lambda1).toMatchObject({ outcome: 'passrole', service: 'lambda.amazonaws.com' });
    expect(lambda1.references.length).toBeGreaterThan(0);
  });

  it('refuses a path without a model and a model that places a permission the YAML does not require', async () => {
    const paths = await readPathfindingPaths();
    const extra = { ...paths[0]!, id: 'iam-999' };
    expect(() => rulesFromPaths([...paths, extra])).toThrow(/iam-999: no model/);
    const iam001 = paths.find((p) => p.id === 'iam-001')!;
    const changed = {
      ...iam001,
      permissions: { required: [{ permission: 'iam:CreatePolicy' }] },
    };
    expect(() => rulesFromPaths(paths.map((p) => (p.id === 'iam-001' ? changed : p)))).toThrow(
      /iam-001: the model places iam:CreatePolicyVersion/,
    );
  });

  // The required techniques outside pathfinding.cloud, each by the permissions that identify it.
  it.each([
    ['iam:SetDefaultPolicyVersion', ['iam:SetDefaultPolicyVersion']],
    [
      'PassRole + Lambda + a new DynamoDB table trigger',
      ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping', 'dynamodb:CreateTable'],
    ],
    ['CodeStar: PassRole + CreateProject', ['iam:PassRole', 'codestar:CreateProject']],
    ['CodeStar: CreateProjectFromTemplate', ['codestar:CreateProjectFromTemplate']],
    [
      'CodeStar: CreateProject + AssociateTeamMember',
      ['codestar:CreateProject', 'codestar:AssociateTeamMember'],
    ],
    [
      'Auto Scaling: CreateAutoScalingGroup',
      ['iam:PassRole', 'autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'],
    ],
    [
      'Auto Scaling: UpdateAutoScalingGroup',
      ['iam:PassRole', 'autoscaling:CreateLaunchConfiguration', 'autoscaling:UpdateAutoScalingGroup'],
    ],
    ['lambda:UpdateFunctionConfiguration (layers)', ['lambda:UpdateFunctionConfiguration']],
    ['ecs:ExecuteCommand', ['ecs:ExecuteCommand']],
    ['ECS container-instance hijack', ['ecs:RegisterContainerInstance', 'ecs:UpdateContainerInstancesState']],
    ['ec2:AssociateIamInstanceProfile', ['iam:PassRole', 'ec2:AssociateIamInstanceProfile']],
  ])('has %s', (_name, actions) => {
    expect(byActions(...actions).length).toBeGreaterThan(0);
  });
});
