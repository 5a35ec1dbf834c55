/**
 * What the what-if diff compares: a principal's access as a set of grants — one per (action, resource scope) that
 * is ALLOWED or CONDITIONAL. `AccessSource` is the narrow interface the diff needs; `createGrantSource` satisfies
 * it with the engine, the same way the effective-permissions analysis (access.ts) reads a principal:
 *
 * - **scopes**: for every action an identity Allow statement names (expanded through the catalog; NotAction = every
 *   catalog action it does not list), each `Resource` pattern of that statement (`*` for NotResource), evaluated
 *   with the principal's identity policies and boundary. The pattern is the request's resource, so a Deny on the
 *   same pattern or on `*` counts and a Deny on a narrower pattern does not (it shows on known resources).
 * - **known resources**: for every resource in the snapshot whose policy has an Allow statement that can name the
 *   principal (itself, its role session, `*`, NotPrincipal), the statement's actions on the statement's resources,
 *   with the resource policy as a layer.
 *
 * `actions` narrows a computation to the catalog actions a change can touch (see relevantActions in diff.ts):
 * a decision on (action, resource) depends only on the statements whose Action matches the action.
 */
import type { AccountSnapshot, Principal } from '../../../importers/snapshot/model.ts';
import {
  compilePolicySet,
  evaluateCompiled,
  parsePolicy,
  renderCondition,
  type ActionCatalog,
  type CompiledPolicySet,
  type Policy,
  type PolicyInput,
  type PolicySet,
  type Statement,
} from '../../engine/index.ts';
import { requestPrincipalOf } from '../candidate-index.ts';
import { principalPolicySet } from '../policy-set.ts';

export interface AccessGrant {
  /** `s3:PutObject`, as the catalog spells it. */
  action: string;
  service: string;
  /** The catalog's access level (`Read`, `Write`, `List`, `Tagging`, `Permissions management`), or `Unknown`. */
  level: string;
  /** A resource pattern from an identity statement (`*`, `arn:aws:s3:::b/*`) or a known resource's ARN. */
  resource: string;
  /** True when `resource` is a known resource of the snapshot, evaluated with its resource policy. */
  known: boolean;
  decision: 'ALLOWED' | 'CONDITIONAL';
  /** When CONDITIONAL: the condition under which it is allowed, rendered. */
  conditions?: string;
}

/** Lower-case catalog action names a computation is limited to; undefined = every action. */
export type ActionFilter = ReadonlySet<string> | undefined;

export interface AccessSource {
  /** The grants of a user or role; empty when the snapshot has no such principal. */
  grants(snapshot: AccountSnapshot, principalArn: string, actions?: ActionFilter): AccessGrant[];
  /** The catalog actions (lower-case) the statements of `policy` name in Action or NotAction, any effect. */
  actionsOf(document: string): Set<string>;
  /** Count of grant computations that were not answered from the per-snapshot cache (for the bench). */
  readonly computed: number;
}

export function grantKey(g: Pick<AccessGrant, 'action' | 'resource'>): string {
  return `${g.action} ${g.resource}`;
}

/**
 * Documents that read the principal (variables, principal condition keys) give answers that differ between two
 * principals with the same policies; all others can share one computation per distinct policy set.
 */
const PRINCIPAL_DEPENDENT = /\$\{|aws:(username|userid|principal)/i;

export function createGrantSource(catalog: ActionCatalog): AccessSource {
  const parsed = new Map<string, Policy | undefined>();
  const expanded = new Map<string, string[]>();
  const allActions = catalog.expandAction('*');
  const shared = new WeakMap<AccountSnapshot, Map<string, AccessGrant[]>>();
  const resourceCache = new WeakMap<AccountSnapshot, KnownResource[]>();
  let computed = 0;

  const parse = (doc: string, kind: 'identity' | 'resource'): Policy | undefined => {
    let p = parsed.get(doc);
    if (p === undefined && !parsed.has(doc)) parsed.set(doc, (p = parsePolicy(doc, { kind }).policy));
    return p;
  };
  const expand = (pattern: string): string[] => {
    const key = pattern.toLowerCase();
    let e = expanded.get(key);
    if (!e) expanded.set(key, (e = catalog.expandAction(pattern)));
    return e;
  };
  const statementActions = (st: Statement): string[] => {
    if (st.action) return [...new Set(st.action.flatMap(expand))];
    const not = new Set((st.notAction ?? []).flatMap(expand));
    return allActions.filter((a) => !not.has(a));
  };
  const describe = (action: string) => {
    const service = action.slice(0, action.indexOf(':'));
    return { service, level: catalog.accessLevel(action) ?? 'Unknown' };
  };
  const documentOf = (p: PolicyInput) =>
    typeof p.document === 'string' ? p.document : JSON.stringify(p.document);

  function knownResources(s: AccountSnapshot): KnownResource[] {
    let list = resourceCache.get(s);
    if (!list) {
      list = [];
      for (const r of s.resources) {
        if (!r.policy) continue;
        const policy = parse(r.policy, 'resource');
        if (!policy) continue;
        list.push({ arn: r.arn, input: { id: r.arn, document: r.policy }, policy });
      }
      resourceCache.set(s, list);
    }
    return list;
  }

  function evaluateOne(
    principal: Principal,
    compiled: CompiledPolicySet,
    action: string,
    resource: string,
    known: boolean,
  ): AccessGrant | undefined {
    const r = evaluateCompiled(
      {
        principal: requestPrincipalOf(principal),
        action,
        resource,
        // who-can.ts: a role session's aws:PrincipalArn is the role's full ARN.
        ...(principal.kind === 'role' ? { context: { 'aws:PrincipalArn': principal.arn } } : {}),
      },
      compiled,
    );
    if (r.decision === 'DENIED') return undefined;
    return {
      action,
      ...describe(action),
      resource,
      known,
      decision: r.decision,
      ...(r.conditions ? { conditions: renderCondition(r.conditions) } : {}),
    };
  }

  function scopeGrants(principal: Principal, set: PolicySet, filter: ActionFilter): AccessGrant[] {
    const compiled = compilePolicySet(set);
    const pairs = new Map<string, Set<string>>();
    for (const input of set.identity) {
      const policy = parse(documentOf(input), 'identity');
      for (const st of policy?.statements ?? []) {
        if (st.effect !== 'Allow') continue;
        const scopes = (st.resource ?? ['*']).map((r) =>
          principal.kind === 'user' ? r.replaceAll('${aws:username}', principal.name) : r,
        );
        for (const action of statementActions(st)) {
          if (filter && !filter.has(action.toLowerCase())) continue;
          let set = pairs.get(action);
          if (!set) pairs.set(action, (set = new Set()));
          for (const s of st.notResource ? ['*'] : scopes) set.add(s);
        }
      }
    }
    const out: AccessGrant[] = [];
    for (const [action, scopes] of pairs)
      for (const resource of scopes) {
        const g = evaluateOne(principal, compiled, action, resource, false);
        if (g) out.push(g);
      }
    return out;
  }

  function resourceGrants(
    s: AccountSnapshot,
    principal: Principal,
    set: PolicySet,
    filter: ActionFilter,
  ): AccessGrant[] {
    const out: AccessGrant[] = [];
    const session = requestPrincipalOf(principal);
    for (const r of knownResources(s)) {
      let compiled: CompiledPolicySet | undefined;
      const seen = new Set<string>();
      for (const st of r.policy.statements) {
        if (st.effect !== 'Allow' || !namesPrincipal(st, principal.arn, session)) continue;
        const service = r.arn.split(':')[2]!;
        for (const action of statementActions(st)) {
          if (!action.toLowerCase().startsWith(`${service}:`)) continue;
          if (filter && !filter.has(action.toLowerCase())) continue;
          for (const resource of st.resource ?? [r.arn]) {
            if (!resource.startsWith(r.arn) || seen.has(`${action} ${resource}`)) continue;
            seen.add(`${action} ${resource}`);
            compiled ??= compilePolicySet({ ...set, resource: r.input });
            const g = evaluateOne(principal, compiled, action, resource, true);
            if (g) out.push(g);
          }
        }
      }
    }
    return out;
  }

  return {
    get computed() {
      return computed;
    },
    actionsOf(document) {
      const out = new Set<string>();
      for (const st of parse(document, 'identity')?.statements ?? [])
        for (const a of statementActions(st)) out.add(a.toLowerCase());
      return out;
    },
    grants(snapshot, principalArn, filter) {
      const set = principalPolicySet(snapshot, principalArn);
      if (!set) return [];
      const principal = principalOf(snapshot, principalArn)!;
      const docs = [...set.identity, ...(set.boundary ? [set.boundary] : [])].map(documentOf);
      const key = PRINCIPAL_DEPENDENT.test(docs.join('\n'))
        ? undefined
        : [
            principal.kind,
            filter ? [...filter].sort().join(',') : '*',
            ...set.identity.map((p) => (p.id.includes('#inline/') ? documentOf(p) : p.id)),
            `boundary:${set.boundary?.id ?? ''}`,
          ].join('\n');
      let perSnapshot = shared.get(snapshot);
      if (!perSnapshot) shared.set(snapshot, (perSnapshot = new Map()));
      let scoped = key === undefined ? undefined : perSnapshot.get(key);
      if (!scoped) {
        computed++;
        scoped = scopeGrants(principal, set, filter);
        if (key !== undefined) perSnapshot.set(key, scoped);
      }
      return [...scoped, ...resourceGrants(snapshot, principal, set, filter)];
    },
  };
}

interface KnownResource {
  arn: string;
  input: PolicyInput;
  policy: Policy;
}

/** Whether an Allow statement of a resource policy can grant `arn` directly (who-can.ts resourceCandidates). */
function namesPrincipal(st: Statement, arn: string, session: string): boolean {
  if (st.notPrincipal || st.principal?.any) return true;
  return (st.principal?.aws ?? []).some((v) => v === '*' || v === arn || v === session);
}

const principalIndex = new WeakMap<AccountSnapshot, Map<string, Principal>>();
export function principalOf(s: AccountSnapshot, arn: string): Principal | undefined {
  let m = principalIndex.get(s);
  if (!m) principalIndex.set(s, (m = new Map([...s.users, ...s.roles].map((p) => [p.arn, p]))));
  return m.get(arn);
}
