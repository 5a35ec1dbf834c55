/**
 * A who-can answer as a graph, pure: each principal, the groups and policies its matched statements come
 * through (`attachedVia`), and the resource asked, so the answer reads left to right like the explorer
 * (user → group → policy → resource). Node ids are the same ARNs and policy ids the `graph` query uses, so a
 * click on a node opens the same entity panel. `explanationIds` is the path of one entry, for highlighting.
 */
import type {
  DrawnEdgeKind,
  GraphEdge,
  GraphNode,
  GraphNodeKind,
  GraphView,
  WhoCanEntry,
  WhoCanMatch,
} from '../api/results.ts';
import { edgeId } from '../graph/to-elements.ts';

/** Kind of an ARN on the attachment path; anything that is not IAM (an OU, the org root) reads as an account. */
export function kindOfArn(arn: string): GraphNodeKind {
  if (arn.includes('#inline/')) return 'POLICY';
  if (/^arn:[^:]+:iam::[^:]*:user\//.test(arn)) return 'USER';
  if (/^arn:[^:]+:iam::[^:]*:group\//.test(arn)) return 'GROUP';
  if (/^arn:[^:]+:iam::[^:]*:role\//.test(arn)) return 'ROLE';
  if (/^arn:[^:]+:iam::[^:]*:policy\//.test(arn)) return 'POLICY';
  return 'ACCOUNT';
}

/** The resource part of an ARN (`arn:aws:s3:::bucket/*` → `bucket/*`); the whole text when it is not an ARN. */
export function resourceLabel(arn: string): string {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts.slice(5).join(':') || arn : arn;
}

function labelOf(id: string): string {
  const inline = id.indexOf('#inline/');
  if (inline >= 0) return id.slice(inline + 8);
  const tail = id.split(':').pop() ?? id;
  return tail.split('/').pop() || tail;
}

/**
 * An SCP or RCP that allows (FullAWSAccess at the root, each OU and the account) is a guardrail every principal
 * passes, not a grant: drawn or listed for each principal it would bury the path. Its Deny statements count.
 */
export function isGuardrailAllow(m: WhoCanMatch): boolean {
  return (m.layer === 'scp' || m.layer === 'rcp') && m.effect === 'Allow';
}

/** The nodes and edges that explain one entry, with the principal first. */
function entryGraph(entry: WhoCanEntry, resource: string): GraphView {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const node = (id: string, kind: GraphNodeKind, label = labelOf(id)) => {
    if (!nodes.has(id)) nodes.set(id, { id, kind, label });
  };
  const edge = (source: string, kind: DrawnEdgeKind, target: string) => {
    const e = { source, target, kind };
    edges.set(edgeId(e), e);
  };
  const principal = entry.principal;
  node(principal.arn, principal.kind === 'role' ? 'ROLE' : 'USER', principal.name);
  node(resource, 'RESOURCE', resourceLabel(resource));
  // An implicit denial means no Allow reached the request: a Deny statement listed beside it was conditional and
  // did not decide, so drawing it would blame the wrong policy.
  const implicit = entry.decision === 'DENIED' && entry.deniedBy?.kind === 'implicit';
  for (const m of entry.matched) {
    if (implicit && m.effect === 'Deny') continue;
    if (isGuardrailAllow(m)) continue;
    // Resource policies have no name: call them after their resource (`example-corp-engineering policy`).
    node(m.policyId, 'POLICY', m.policyName ?? `${resourceLabel(m.policyId)} policy`);
    // Identity policies and boundaries come through the principal (`[user, group]`); organization policies
    // through the account's OUs (`[ou-…]`), which hang off the principal here.
    const chain = m.attachedVia[0] === principal.arn ? m.attachedVia : [principal.arn, ...m.attachedVia];
    chain.forEach((id, i) => {
      if (i > 0) node(id, kindOfArn(id));
      if (i > 0) edge(chain[i - 1]!, 'MEMBER_OF', id);
    });
    const attach: DrawnEdgeKind =
      m.layer === 'boundary' ? 'BOUNDED_BY' : m.layer === 'identity' ? 'HAS_POLICY' : 'GOVERNED_BY';
    edge(chain.at(-1)!, attach, m.policyId);
    edge(m.policyId, m.effect === 'Deny' ? 'DENIES' : 'ALLOWS', resource);
  }
  // Denied with no statement to show (no Allow anywhere): a direct "denied" link keeps the principal on the
  // graph next to the resource rather than floating unconnected.
  if (implicit || (entry.decision === 'DENIED' && !entry.matched.some((m) => m.effect === 'Deny')))
    edge(principal.arn, 'DENIES', resource);
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Every entry's explanation merged into one graph (shared groups and policies appear once). */
export function explanationGraph(entries: readonly WhoCanEntry[], resource: string): GraphView {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  for (const entry of entries) {
    const g = entryGraph(entry, resource);
    for (const n of g.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
    for (const e of g.edges) edges.set(edgeId(e), e);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * Ids of the elements (nodes and edges, as `toElements` names them) on the path of `entry`, to highlight on
 * the graph drawn from `explanationGraph`.
 */
export function explanationIds(entry: WhoCanEntry, resource: string): string[] {
  const g = entryGraph(entry, resource);
  return [...g.nodes.map((n) => n.id), ...g.edges.map((e) => edgeId(e))];
}
