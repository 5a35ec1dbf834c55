import { describe, expect, it } from 'vitest';
import { company } from '../../test/contract/graph-store.contract.ts';
import { aPolicy, aSnapshot, aUser } from '../../test/support/builders.ts';
import { buildGraphRows } from './graph-rows.ts';

const ACCOUNT = '123456789012';

describe('buildGraphRows', () => {
  const rows = buildGraphRows(company(ACCOUNT));
  const node = (id: string) => rows.nodes.find((n) => n.nodeId === id);

  it('writes the organization tree as IN edges (account → OU → root), outside the graph view', () => {
    expect(rows.edges.filter((e) => e.type === 'IN')).toEqual([
      { type: 'IN', from: 'ou-abcd-prod', to: 'r-abcd' },
      { type: 'IN', from: ACCOUNT, to: 'ou-abcd-prod' },
    ]);
    expect(node('r-abcd')).toMatchObject({
      label: 'OrgUnit',
      graphKind: undefined,
      props: { orgKind: 'root' },
    });
    expect(node(ACCOUNT)).toMatchObject({ label: 'Account', graphKind: undefined });
  });

  it('gives a policy referenced but absent from the input a node marked missing, with the kind its ARN implies', () => {
    expect(node(`arn:aws:iam::${ACCOUNT}:policy/only-a-boundary`)).toMatchObject({
      label: 'Policy',
      ord: -1,
      props: { policyKind: 'customerManaged', missing: true },
    });
    // No ManagedPolicy to hand back: getPolicy says undefined rather than inventing one.
    expect(node(`arn:aws:iam::${ACCOUNT}:policy/only-a-boundary`)?.entity).toBeUndefined();
    const s = aSnapshot({
      users: [aUser({ name: 'x', attachedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] })],
    });
    expect(buildGraphRows(s).nodes.find((n) => n.label === 'Policy')?.props).toMatchObject({
      policyKind: 'awsManaged',
      missing: true,
    });
  });

  it('stores the default version document on a managed policy node, not an older one', () => {
    expect(node(`arn:aws:iam::${ACCOUNT}:policy/publish-alerts`)?.props.document).toContain('alerts');
    expect(node(`arn:aws:iam::${ACCOUNT}:policy/publish-alerts`)?.props.document).not.toContain('sns:*');
  });

  it('never stores anything secret-like on access keys: id, slot and active only', () => {
    const keys = rows.nodes.filter((n) => n.label === 'AccessKey');
    expect(keys.map((k) => k.props)).toEqual([
      { keyId: 'AKIAEXAMPLEPUBLISHER', slot: 1, active: true },
      { slot: 2, active: false },
    ]);
  });

  it('rejects duplicate ARNs before anything is written', () => {
    const p = aPolicy({ name: 'p' });
    expect(() => buildGraphRows(aSnapshot({ policies: [p, p] }))).toThrow(
      /duplicate Policy `arn:aws:iam::111122223333:policy\/p`/,
    );
  });
});
