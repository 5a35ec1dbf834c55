/**
 * A synthetic GraphView of exactly `2,000` elements (nodes + edges) shaped like an account: users in two groups
 * each (so aggregation collapses none of them — the worst case for drawing), groups and roles with policies,
 * resources protected by resource policies, some CAN_ASSUME edges. Deterministic, no randomness. The web UI is
 * given it in place of the server's answers (`serveSyntheticGraph`), for the web bench and the explorer test.
 */
import type { Page } from 'playwright-core';
import type { GraphView } from '../../web/src/lib/api/results.ts';

const ACCT = 'arn:aws:iam::999988887777';

export function syntheticGraph(): GraphView {
  const groups = Array.from({ length: 20 }, (_, i) => `${ACCT}:group/team-${i}`);
  const policies = Array.from({ length: 40 }, (_, i) => `${ACCT}:policy/policy-${i}`);
  const roles = Array.from({ length: 20 }, (_, i) => `${ACCT}:role/service-${i}`);
  const resources = Array.from({ length: 40 }, (_, i) => `arn:aws:s3:::bucket-${i}`);
  const users = Array.from({ length: 593 }, (_, i) => `${ACCT}:user/user-${String(i).padStart(4, '0')}`);
  const label = (arn: string) => arn.split(/[/:]/).pop()!;
  const view: GraphView = {
    nodes: [
      ...users.map((id) => ({ id, kind: 'USER' as const, label: label(id) })),
      ...groups.map((id) => ({ id, kind: 'GROUP' as const, label: label(id) })),
      ...policies.map((id) => ({ id, kind: 'POLICY' as const, label: label(id) })),
      ...roles.map((id) => ({ id, kind: 'ROLE' as const, label: label(id) })),
      ...resources.map((id) => ({ id, kind: 'RESOURCE' as const, label: label(id) })),
    ],
    edges: [],
  };
  users.forEach((u, i) => {
    view.edges.push({ source: u, target: groups[i % 20]!, kind: 'MEMBER_OF' });
    view.edges.push({ source: u, target: groups[(i * 7 + 3) % 20]!, kind: 'MEMBER_OF' });
  });
  groups.forEach((g, i) => {
    view.edges.push({ source: g, target: policies[i]!, kind: 'HAS_POLICY' });
    view.edges.push({ source: g, target: policies[(i + 20) % 40]!, kind: 'HAS_POLICY' });
  });
  resources.forEach((r, i) =>
    view.edges.push({ source: r, target: policies[(i * 3) % 40]!, kind: 'PROTECTED_BY' }),
  );
  roles.forEach((r, i) =>
    view.edges.push({ source: r, target: policies[(i * 5 + 1) % 40]!, kind: 'HAS_POLICY' }),
  );
  view.edges.push({ source: users[0]!, target: roles[0]!, kind: 'CAN_ASSUME' });
  return view;
}

/**
 * Answer the page's GraphQL requests with one snapshot (`synthetic`) whose graph is `graph`: the UI's first render
 * asks for nothing else.
 */
export async function serveSyntheticGraph(page: Page, graph: GraphView): Promise<void> {
  const counts = (kind: string) => graph.nodes.filter((n) => n.kind === kind).length;
  await page.route('**/graphql', async (route) => {
    const body = route.request().postDataJSON();
    const data =
      body.operationName === 'Snapshots'
        ? {
            snapshots: [
              {
                id: 'synthetic',
                accountId: '999988887777',
                label: 'synthetic',
                current: true,
                loadedAt: '2026-01-01T00:00:00Z',
                counts: {
                  users: counts('USER'),
                  groups: counts('GROUP'),
                  roles: counts('ROLE'),
                  policies: counts('POLICY'),
                  resources: counts('RESOURCE'),
                },
              },
            ],
          }
        : { graph: { __typename: 'Graph', ...graph } };
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ data }) });
  });
}
