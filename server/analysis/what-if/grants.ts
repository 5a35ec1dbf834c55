/**
 * What the what-if diff compares: a principal's access as a set of grants — one per (action, resource scope) that
 * is ALLOWED or CONDITIONAL. `AccessSource` is the narrow interface the diff needs; `createGrantSource` satisfies
 * it with the engine, the same way the effective-permissions analysis (access.ts) reads a principal:
 *
 * - **scopes**: for every action an identity Allow statement names (expanded through the catalog; NotAction = every
 *   catalog action it does not list), each `Resource` pattern of that statement (`*` for NotResource), evaluated
 *   with the principal's identity policies, boundary and the SCPs of its account's organization levels. The
 *   pattern is the request's resource, so a Deny on the same pattern or on `*` counts and a Deny on a narrower
 *   pattern does not (it shows on known resources).
 * - **known resources**: for every resource in the snapshot whose policy has an Allow statement that can name the
 *   principal (itself, its role session, `*`, NotPrincipal), the statement's actions on the statement's resources,
 *   with the resource policy and the RCPs over the resource's account (services that support them) as layers.
 *
 * The SCP and RCP layers are access.ts's compiled organization layers (`compiledOrgLayers`).
 *
 * `actions` narrows a computation to the catalog actions a change can touch (see relevantActions in diff.ts):
 * a decision on (action, resource) depends only on the statements whose Action matches the action.
 */
import type { AccountSnapshot, Principal } from '../../../schema/snapshot.ts';
import {
  arnAccount,
  arnService,
  compilePolicySet,
  compileGlob,
  evaluateCompiled,
  parsePolicy,
  protectedRoleKind,
  renderCondition,
  actionRuleKey,
  type ActionCatalog,
  type CompiledPolicySet,
  type Policy,
  type PolicyInput,
  type Statement,
} from '../../engine/index.ts';
import { compiledOrgLayers, metaOf, resourcesAccessWithCatalog } from '../access.ts';
import { patternFitsAction, widenVariables } from '../arn-patterns.ts';
import { SESSION_NAME, askedBy, requestPrincipalOf } from '../candidate-index.ts';
import { namedSession } from '../policy-principals.ts';
import { SnapshotAnalysis } from '../snapshot-analysis.ts';
import { principalPolicySet, resourceSideFor } from '../policy-set.ts';

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
  /**
   * On a resource the answer lists in full (`grants`' `complete`): every allowed request there is listed, so an
   * absent one is denied, whatever an identity scope says.
   */
  complete?: true;
}

type CompiledPolicy = CompiledPolicySet['identity'][number];

/** Lower-case catalog action names a computation is limited to; undefined = every action. */
export type ActionFilter = ReadonlySet<string> | undefined;

export interface AccessSource {
  /**
   * The grants of a user or role; empty when the snapshot has no such principal. Read-only: principals that
   * share every part of their answer get the same array, which the diff compares once (diff.ts). On the known
   * resources `complete` names (those whose policy a change edits), every request allowed is listed, as the
   * access panel's resources section has it (access.ts `resourcesAccessWithCatalog`): identity grants there too,
   * so a resource-policy Deny shows as a revocation.
   */
  grants(
    snapshot: AccountSnapshot,
    principalArn: string,
    actions?: ActionFilter,
    complete?: ReadonlySet<string>,
  ): readonly AccessGrant[];
  /**
   * The catalog actions (lower-case) the statements of a policy document name in Action or NotAction, any effect;
   * `kind` says how to read it (a resource policy has a Principal element).
   */
  actionsOf(document: string, kind?: 'identity' | 'resource'): Set<string>;
  /** Count of grant computations that were not answered from the per-snapshot cache (for the bench). */
  readonly computed: number;
}

/**
 * Documents that read the principal (variables, principal condition keys) give answers that differ between two
 * principals with the same policies; all others can share one computation per distinct policy set.
 */
const PRINCIPAL_DEPENDENT = /\$\{|aws:(username|userid|principalarn|principalaccount|principaltag)/i;

/**
 * Pure functions of policy text and action patterns, kept per catalog for the life of the process (a server's
 * are warm after the first question): parsed documents, expanded patterns, compiled policies.
 */
interface TextCaches {
  parsed: Map<string, Policy | undefined>;
  expanded: Map<string, string[]>;
  allActions: string[];
  compiled: Map<string, CompiledPolicy>;
}
const textCaches = new WeakMap<ActionCatalog, TextCaches>();
const actionsByStatement = new WeakMap<Statement, string[]>();
const lowerActions = new WeakMap<Statement, Set<string>>();
const statementIds = new WeakMap<Statement, number>();
const idsByContent = new Map<string, number>();
let nextStatementId = 0;
/**
 * A number per statement meaning: statements equal in everything the engine decides with (effect, actions,
 * resources, conditions, and whether the policy's Version substitutes variables) share it; Sid, position and
 * policy, which only explanations read, do not count. The same MFA guard pasted into many policies is one id.
 */
function statementId(st: Statement, policy: Policy): number {
  let id = statementIds.get(st);
  if (id === undefined) {
    const content = JSON.stringify([
      // Only 2012-10-17 substitutes policy variables (reference_policies_variables; engine supportsVariables).
      policy.version === '2012-10-17',
      st.effect,
      st.action,
      st.notAction,
      st.resource,
      st.notResource,
      st.principal,
      st.notPrincipal,
      st.conditions,
    ]);
    id = numbered(content);
    statementIds.set(st, id);
  }
  return id;
}
function numbered(content: string): number {
  let id = idsByContent.get(content);
  if (id === undefined) {
    if (idsByContent.size > 200_000) idsByContent.clear();
    idsByContent.set(content, (id = nextStatementId++));
  }
  return id;
}
const dependentStatements = new WeakMap<Statement, boolean>();
function readsThePrincipal(st: Statement): boolean {
  let d = dependentStatements.get(st);
  if (d === undefined)
    dependentStatements.set(
      st,
      (d = PRINCIPAL_DEPENDENT.test(JSON.stringify([st.resource, st.notResource, st.conditions]))),
    );
  return d;
}

/** Condition keys the engine derives from the principal alone (engine evaluate/context.ts). */
const PRINCIPAL_KEYS = new Set([
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:principalisawsservice',
  'aws:username',
  'aws:userid',
]);
/**
 * For a statement that reads the principal only in a Condition on the keys above (an SCP's "Deny unless the
 * break-glass role"), that Condition alone as a compiled policy: its verdict for a principal is the same for
 * every request, so it stands for the principal in the sharing keys. Null for any other statement.
 */
const principalConditions = new WeakMap<Statement, CompiledPolicySet | null>();
function principalCondition(st: Statement): CompiledPolicySet | null {
  let hit = principalConditions.get(st);
  if (hit === undefined) {
    hit = null;
    const onlyKeys =
      st.conditions.length > 0 &&
      st.conditions.every(
        (c) => PRINCIPAL_KEYS.has(c.key.toLowerCase()) && !c.values.some((v) => v.includes('${')),
      );
    if (onlyKeys && !PRINCIPAL_DEPENDENT.test(JSON.stringify([st.resource, st.notResource]))) {
      const condition: Record<string, Record<string, string[]>> = {};
      for (const c of st.conditions) (condition[c.rawOperator] ??= {})[c.key] = c.values;
      hit = compilePolicySet({
        identity: [
          {
            id: 'condition',
            document: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }],
            },
          },
        ],
      });
    }
    principalConditions.set(st, hit);
  }
  return hit;
}
const MAX_CACHED_TEXTS = 50_000;

export function createGrantSource(catalog: ActionCatalog): AccessSource {
  let caches = textCaches.get(catalog);
  if (!caches || caches.parsed.size + caches.compiled.size > MAX_CACHED_TEXTS)
    textCaches.set(
      catalog,
      (caches = {
        parsed: new Map(),
        expanded: new Map(),
        allActions: catalog.expandAction('*'),
        compiled: new Map(),
      }),
    );
  const { parsed, expanded, allActions, compiled: compiledPolicies } = caches;
  const shared = new WeakMap<AccountSnapshot, Map<string, AccessGrant[]>>();
  const resourceCache = new WeakMap<AccountSnapshot['resources'], KnownResources>();
  const supportsRcp = (service: string) => catalog.supportsRcp(service);
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
    let list = actionsByStatement.get(st);
    if (!list) {
      if (st.action) list = [...new Set(st.action.flatMap(expand))];
      else {
        const not = new Set((st.notAction ?? []).flatMap(expand));
        list = allActions.filter((a) => !not.has(a));
      }
      actionsByStatement.set(st, list);
    }
    return list;
  };
  // Every member of a changed group asks the same (statement, filter) questions: answered once per pair.
  const anyByFilter = new WeakMap<Statement, WeakMap<ReadonlySet<string>, boolean>>();
  const matchesAny = (st: Statement, filter: ReadonlySet<string>): boolean => {
    let perFilter = anyByFilter.get(st);
    if (!perFilter) anyByFilter.set(st, (perFilter = new WeakMap()));
    let hit = perFilter.get(filter);
    if (hit === undefined) {
      hit = false;
      // Walk the smaller side: most statements name a few actions, a filter hundreds, `*` 20,000.
      const named = lowerActionsOf(st);
      if (named.size <= filter.size) {
        for (const a of named) if ((hit = filter.has(a))) break;
      } else for (const a of filter) if ((hit = named.has(a))) break;
      perFilter.set(filter, hit);
    }
    return hit;
  };
  /** A policy's statements that can match an action within `filter`, their ids, and whether one reads the principal. */
  interface Deciding {
    statements: Statement[];
    ids: number[];
    /** The ids joined, for the shared-answer key. */
    key: string;
    reads: boolean;
  }
  const decidingByFilter = new WeakMap<Policy, Map<ActionFilter, Deciding>>();
  const NONE: Deciding = { statements: [], ids: [], key: '', reads: false };
  const decidingIn = (policy: Policy | undefined, filter: ActionFilter): Deciding => {
    if (!policy) return NONE;
    let perFilter = decidingByFilter.get(policy);
    if (!perFilter) decidingByFilter.set(policy, (perFilter = new Map()));
    let d = perFilter.get(filter);
    if (!d) {
      const statements = policy.statements.filter((st) => !filter || matchesAny(st, filter));
      const ids = statements.map((st) => statementId(st, policy));
      d = { statements, ids, key: ids.join(','), reads: statements.some(readsThePrincipal) };
      // Filters are few and long-lived per snapshot; a bound for servers that see many.
      if (perFilter.size > 64) perFilter.clear();
      perFilter.set(filter, d);
    }
    return d;
  };
  // Filters differ per principal as objects but repeat as sets: a short id keeps the cache keys short.
  const filterIds = new Map<string, string>();
  const filterIdOf = new WeakMap<ReadonlySet<string>, string>();
  const filterId = (filter: ActionFilter): string => {
    if (!filter) return '*';
    let id = filterIdOf.get(filter);
    if (!id) {
      const text = [...filter].sort().join(',');
      id = filterIds.get(text);
      if (!id) filterIds.set(text, (id = `f${filterIds.size}`));
      filterIdOf.set(filter, id);
    }
    return id;
  };

  // Each distinct policy is compiled once (candidate-index.ts does the same); the copy carries this principal's
  // attachment path, which the engine reads only to explain.
  const compileOnce = (input: PolicyInput, kind: 'identity' | 'boundary'): CompiledPolicy => {
    const document = documentOf(input);
    const key = `${kind}\n${input.id}\n${document}`;
    let hit = compiledPolicies.get(key);
    if (!hit) {
      const one = { id: input.id, document };
      hit =
        kind === 'identity'
          ? compilePolicySet({ identity: [one] }).identity[0]!
          : compilePolicySet({ identity: [], boundary: one }).boundary!;
      compiledPolicies.set(key, hit);
    }
    return { ...hit, source: input };
  };
  // One lookup per action, not per grant (tens of thousands of grants name a few hundred actions).
  const described = new Map<string, { service: string; level: string }>();
  const describe = (action: string) => {
    let d = described.get(action);
    if (!d) {
      const service = action.slice(0, action.indexOf(':'));
      described.set(action, (d = { service, level: catalog.accessLevel(action) ?? 'Unknown' }));
    }
    return d;
  };
  const documentOf = (p: PolicyInput) =>
    typeof p.document === 'string' ? p.document : JSON.stringify(p.document);

  // Keyed by the resources array: an overlay shares it with its snapshot unless a change puts or deletes a
  // resource policy, so before and after share these objects and the answers hanging from them, which depend
  // only on the resource policy and the principal's side (the key), not on anything else in the snapshot.
  // The RCPs hang from the organization, which an overlay also shares (no change edits it): both are checked.
  function knownResources(s: AccountSnapshot): KnownResources {
    let known = resourceCache.get(s.resources);
    if (!known || known.organization !== s.organization) {
      const analysis = SnapshotAnalysis.of(s);
      const list: KnownResource[] = [];
      for (const r of s.resources) {
        if (!r.policy) continue;
        const policy = parse(r.policy, 'resource');
        if (!policy) continue;
        const side = resourceSideFor(s, r.arn, supportsRcp);
        const rcps = side.rcps
          ? compiledOrgLayers(analysis, 'RESOURCE_CONTROL_POLICY', side.resourceAccount ?? '', side.rcps)
              .compiled
          : undefined;
        // An RCP statement reading the principal (a Deny but for one role) keys the answers by its Condition's
        // verdict (principalCondition); any other reading makes them the principal's own (undefined).
        let rcpReaders: { st: Statement; id: number }[] | undefined = [];
        for (const level of rcps ?? [])
          for (const p of level)
            for (const st of p.policy.statements)
              if (readsThePrincipal(st)) {
                if (principalCondition(st)) rcpReaders?.push({ st, id: statementId(st, p.policy) });
                else rcpReaders = undefined;
              }
        const named = new Set(
          policy.statements.flatMap((st) =>
            [...(st.principal?.aws ?? []), ...(st.notPrincipal?.aws ?? [])].map(asRequester),
          ),
        );
        const compiledKey = `resource\n${r.arn}\n${r.policy}`;
        let compiled = compiledPolicies.get(compiledKey);
        if (!compiled) {
          compiled = compilePolicySet({
            identity: [],
            resource: { id: r.arn, document: r.policy },
          }).resource!;
          compiledPolicies.set(compiledKey, compiled);
        }
        const open = policy.statements.some(
          (st) =>
            st.effect === 'Allow' &&
            (st.notPrincipal || st.principal?.any || st.principal?.aws.includes('*')),
        );
        list.push({
          arn: r.arn,
          ...(side.resourceAccount ? { account: side.resourceAccount } : {}),
          policy,
          compiled,
          ...(rcps ? { rcps } : {}),
          named,
          open,
          openIndex: -1,
          dependent: PRINCIPAL_DEPENDENT.test(r.policy) || rcpReaders === undefined,
          ...(rcpReaders?.length ? { rcpReaders } : {}),
        });
      }
      const byName = new Map<string, KnownResource[]>();
      for (const r of list)
        for (const arn of r.named) {
          const named = byName.get(arn);
          if (named) named.push(r);
          else byName.set(arn, [r]);
        }
      const open = list.filter((r) => r.open);
      open.forEach((r, i) => (r.openIndex = i));
      known = { all: list, open, byName, organization: s.organization };
      resourceCache.set(s.resources, known);
    }
    return known;
  }

  /**
   * A sharing-key id for a statement that reads the principal: its own id with the verdict of its Condition for
   * `principal` (principalCondition), or undefined when its answer cannot be keyed.
   */
  function principalStatementId(
    st: Statement,
    id: number,
    principal: Principal,
    at: string | undefined,
  ): number | undefined {
    const condition = principalCondition(st);
    if (!condition) return undefined;
    // Any action the engine has no service rule for: the Condition reads the principal only.
    const g = evaluateOne(at, principal, condition, 's3:ListAllMyBuckets', '*', false);
    return numbered(`~${id}~${g ? `${g.decision} ${g.conditions ?? ''}` : 'DENIED'}`);
  }

  function evaluateOne(
    at: string | undefined,
    principal: Principal,
    compiled: CompiledPolicySet,
    action: string,
    resource: string,
    known: boolean,
    resourceAccount?: string,
  ): AccessGrant | undefined {
    const r = evaluateCompiled(
      {
        ...askedBy(principal, at),
        action,
        resource,
        // access.ts: the owner of a known resource (an S3 ARN does not say).
        ...(resourceAccount ? { resourceAccount } : {}),
        // who-can.ts: a role session's aws:PrincipalArn is the role's full ARN.
        ...(principal.kind === 'role' ? { context: { 'aws:PrincipalArn': principal.arn } } : {}),
      },
      compiled,
    );
    if (r.decision === 'DENIED') return undefined;
    const { service, level } = describe(action);
    const g: AccessGrant = { action, service, level, resource, known, decision: r.decision };
    if (r.conditions) g.conditions = renderCondition(r.conditions);
    return g;
  }

  /**
   * The engine's verdict on (action, resource) depends on the action only through which statements match it and
   * whether it needs a resource policy (`baseOf`): actions alike in both share one evaluation
   * per scope, as in access.ts. AmazonS3FullAccess's 150 actions are a handful of evaluations.
   */
  const lowerActionsOf = (st: Statement): Set<string> => {
    let set = lowerActions.get(st);
    if (!set) lowerActions.set(st, (set = new Set(statementActions(st).map((a) => a.toLowerCase()))));
    return set;
  };
  const matches = (st: Statement, lower: string): boolean => lowerActionsOf(st).has(lower);

  /**
   * The statement's actions within `filter` (undefined: all of them), as the catalog spells them and lower-case,
   * and the scopes of an Allow statement: its Resource patterns (`*` for NotResource) as written.
   */
  interface Named {
    actions: string[];
    lower: string[];
  }
  const namedByFilter = new WeakMap<Statement, Map<ActionFilter, Named>>();
  const namedWithin = (st: Statement, filter: ActionFilter): Named => {
    let perFilter = namedByFilter.get(st);
    if (!perFilter) namedByFilter.set(st, (perFilter = new Map()));
    let out = perFilter.get(filter);
    if (!out) {
      out = { actions: [], lower: [] };
      if (filter)
        for (const lower of filter) {
          if (!matches(st, lower)) continue;
          out.actions.push(catalog.action(lower)?.action ?? lower);
          out.lower.push(lower);
        }
      else
        for (const action of statementActions(st)) {
          out.actions.push(action);
          out.lower.push(action.toLowerCase());
        }
      // Filters are few and long-lived per snapshot; a bound for servers that see many.
      if (perFilter.size > 64) perFilter.clear();
      perFilter.set(filter, out);
    }
    return out;
  };
  /**
   * What every signature of an action starts with: its service, marked when the action needs a resource policy
   * to be allowed at all (a KMS key action: the engine denies `kms:DescribeKey` on `*` with no key policy, but
   * not `kms:ListKeys`) or is its own group (a service rule); engine `actionRuleKey`. For STS (role-trust rules)
   * the action itself.
   */
  const signatureBase = new Map<string, string>();
  const baseOf = (lower: string): string => {
    let base = signatureBase.get(lower);
    if (base === undefined) {
      const service = lower.slice(0, lower.indexOf(':'));
      base = service === 'sts' ? lower : actionRuleKey(lower);
      signatureBase.set(lower, base);
    }
    return base;
  };

  /** `deciding`: the statements that can match a filtered action, identity ones before `identityEnd`. */
  function scopeGrants(
    at: string | undefined,
    principal: Principal,
    deciding: readonly Statement[],
    identityEnd: number,
    compiled: CompiledPolicySet,
    filter: ActionFilter,
  ): AccessGrant[] {
    // Lower-case action → its scopes. A statement's scope list is shared by its actions until a second statement
    // names one of them (then that action gets a copy of its own).
    const pairs = new Map<string, { action: string; scopes: string[]; own: boolean }>();
    for (let i = 0; i < identityEnd; i++) {
      const st = deciding[i]!;
      if (st.effect !== 'Allow') continue;
      const scopes = st.notResource
        ? ['*']
        : [
            ...new Set(
              (st.resource ?? ['*']).map((r) =>
                principal.kind === 'user' ? r.replaceAll('${aws:username}', principal.name) : r,
              ),
            ),
          ];
      const { actions, lower } = namedWithin(st, filter);
      for (let j = 0; j < actions.length; j++) {
        const p = pairs.get(lower[j]!);
        if (!p) pairs.set(lower[j]!, { action: actions[j]!, scopes, own: false });
        else
          for (const s of scopes)
            if (!p.scopes.includes(s)) {
              if (!p.own) {
                p.scopes = [...p.scopes];
                p.own = true;
              }
              p.scopes.push(s);
            }
      }
    }
    // A statement that matches no filtered action cannot tell two of them apart: the deciding ones suffice. Each
    // statement adds its position to the signature of the actions it names, walking the smaller side (`*` names
    // 20,000 actions, a filter a few hundred).
    const sigs = new Map<string, string>();
    for (const lower of pairs.keys()) sigs.set(lower, baseOf(lower));
    for (let i = 0; i < deciding.length; i++) {
      const st = deciding[i]!;
      // One naming every catalog action (`*`: AdministratorAccess, FullAWSAccess at each SCP level) tells none apart.
      if (lowerActionsOf(st).size === allActions.length) continue;
      const within = namedWithin(st, filter).lower;
      if (within.length <= pairs.size) {
        for (const lower of within) {
          const sig = sigs.get(lower);
          if (sig !== undefined) sigs.set(lower, `${sig},${i}`);
        }
      } else {
        const named = lowerActionsOf(st);
        for (const [lower, sig] of sigs) if (named.has(lower)) sigs.set(lower, `${sig},${i}`);
      }
    }
    // An action keeps the scopes that fit its resource types, as the access panel lists them (access.ts
    // `patternFitsAction`): `s3:ListAllMyBuckets` takes only `*`, never `arn:aws:s3:::b/*`. Decided once per
    // scope list and ARN formats; the fitting list is part of the group's key.
    const fitting = new Map<string[], Map<string, { scopes: string[]; key: string }>>();
    const fittingScopes = (action: string, scopes: string[]) => {
      const { templates, templatesKey } = metaOf(catalog, action);
      let perList = fitting.get(scopes);
      if (!perList) fitting.set(scopes, (perList = new Map()));
      let hit = perList.get(templatesKey);
      if (!hit) {
        const fit = scopes.filter((p) => patternFitsAction(p, templates));
        perList.set(
          templatesKey,
          (hit = { scopes: fit.length === scopes.length ? scopes : fit, key: fit.join('\u0000') }),
        );
      }
      return hit;
    };
    const groups = new Map<string, { actions: string[]; scopes: string[] }>();
    for (const [lower, { action, scopes }] of pairs) {
      const fit = fittingScopes(action, scopes);
      if (fit.scopes.length === 0) continue;
      const key = `${sigs.get(lower)!}|${fit.key}`;
      const g = groups.get(key);
      if (g) g.actions.push(action);
      else groups.set(key, { actions: [action], scopes: fit.scopes });
    }
    const out: AccessGrant[] = [];
    for (const { actions, scopes } of groups.values())
      for (const resource of scopes) {
        const g = evaluateOne(at, principal, compiled, actions[0]!, resource, false);
        if (!g) continue;
        out.push(g);
        for (let i = 1; i < actions.length; i++) {
          const { service, level } = describe(actions[i]!);
          const x: AccessGrant = {
            action: actions[i]!,
            service,
            level,
            resource,
            known: false,
            decision: g.decision,
          };
          if (g.conditions !== undefined) x.conditions = g.conditions;
          out.push(x);
        }
      }
    return out;
  }

  /** The grants on one known resource: its policy's Allow statements that can name the principal. */
  function resourceGrants(
    at: string | undefined,
    r: KnownResource,
    principal: Principal,
    principalSide: CompiledPolicySet,
    filter: ActionFilter,
  ): AccessGrant[] {
    const out: AccessGrant[] = [];
    const session = requestPrincipalOf(principal);
    const service = arnService(r.arn);
    const seen = new Set<string>();
    let compiled: CompiledPolicySet | undefined;
    for (const st of r.policy.statements) {
      if (st.effect !== 'Allow' || !namesPrincipal(st, principal.arn, session)) continue;
      for (const [action, resource, key] of requestsOf(r, st, service, filter)) {
        if (seen.has(key)) continue;
        seen.add(key);
        compiled ??= {
          ...principalSide,
          ...(r.compiled ? { resource: r.compiled } : {}),
          ...(r.rcps ? { rcps: r.rcps } : {}),
        };
        const g = evaluateOne(at, principal, compiled, action, resource, true, r.account);
        if (g) out.push(g);
      }
    }
    return out;
  }

  /** A resource statement's (action, resource, key) requests on its own resource within `filter`: per filter. */
  type Requests = [string, string, string][];
  // Keyed by the known resource too: a statement without Resource stands for that resource's ARN.
  const requestCache = new WeakMap<KnownResource, Map<Statement, Map<ActionFilter, Requests>>>();
  function requestsOf(r: KnownResource, st: Statement, service: string, filter: ActionFilter): Requests {
    let perStatement = requestCache.get(r);
    if (!perStatement) requestCache.set(r, (perStatement = new Map()));
    let perFilter = perStatement.get(st);
    if (!perFilter) perStatement.set(st, (perFilter = new Map()));
    let list = perFilter.get(filter);
    if (!list) {
      list = [];
      for (const action of statementActions(st)) {
        if (!action.toLowerCase().startsWith(`${service}:`)) continue;
        if (filter && !filter.has(action.toLowerCase())) continue;
        for (const resource of st.resource ?? [r.arn])
          if (resource.startsWith(r.arn)) list.push([action, resource, `${action} ${resource}`]);
      }
      // Filters are few and long-lived per snapshot; a bound for servers that see many.
      if (perFilter.size > 64) perFilter.clear();
      perFilter.set(filter, list);
    }
    return list;
  }

  /**
   * The keys under which the open resources' answers are shared by principals they do not name, one per entry of
   * `list` (undefined: not shared): the principal's kind, whether it is in the resource's account, the filter,
   * the resource, where the boundary and each SCP level start (`marks`) and the deciding statements that can
   * touch one of the requests its open statements make (`touches`); not shared when one of those reads the
   * principal. A statement that matches none of those requests cannot change their decisions, so group
   * members with statements of their own about other buckets, actions or services share one answer per resource.
   * Built from each statement's list of resources it touches (`reachOf`), not by asking every resource about
   * every statement: a member's own statements name a bucket or two of a hundred.
   */
  function resourceKeys(
    list: OpenList,
    principal: Principal,
    deciding: readonly Statement[],
    ids: readonly number[],
    marks: readonly Mark[],
    readers: ReadonlySet<number>,
    at: string | undefined,
  ): (KeyNode | undefined)[] {
    const n = list.items.length;
    const identityEnd = marks[0]?.at ?? deciding.length;
    // evaluatePolicies ORs a layer's Allows: once one applies unconditionally to every request, the others
    // cannot change the answer (nor its rendered condition), so they leave the key.
    const allowed = new Uint8Array(n);
    for (let i = 0; i < identityEnd; i++) for (const j of reachOf(deciding[i]!, list).allows) allowed[j] = 1;
    const base = principal.kind === 'user' ? 0 : 4;
    const account = arnAccount(principal.arn);
    const nodes: (KeyNode | undefined)[] = list.items.map(
      (open, j) =>
        open?.roots[base + (open.account !== undefined && open.account !== account ? 2 : 0) + allowed[j]!],
    );
    // A layer without a deciding statement still denies: where each starts is part of the key.
    let next = 0;
    const markUpTo = (i: number) => {
      for (; next < marks.length && marks[next]!.at <= i; next++)
        for (let j = 0; j < n; j++) if (nodes[j]) nodes[j] = step(nodes[j]!, marks[next]!.step);
    };
    for (let i = 0; i < deciding.length; i++) {
      markUpTo(i);
      const st = deciding[i]!;
      const skipAllowed = i < identityEnd && st.effect === 'Allow';
      const reads = readers.has(i);
      for (const j of reachOf(st, list).touched) {
        const node = nodes[j];
        if (!node || (skipAllowed && allowed[j])) continue;
        nodes[j] = reads ? undefined : step(node, ids[i]!);
      }
    }
    markUpTo(deciding.length);
    // The resource's RCP statements that read the principal: the verdict of their Condition for this one.
    const verdicts = new Map<Statement, number>();
    for (let j = 0; j < n; j++) {
      const readers = list.items[j]?.rcpReaders;
      if (!readers || !nodes[j]) continue;
      for (const { st, id } of readers) {
        let keyed = verdicts.get(st);
        if (keyed === undefined) verdicts.set(st, (keyed = principalStatementId(st, id, principal, at)!));
        nodes[j] = step(nodes[j]!, keyed);
      }
    }
    return nodes;
  }

  /** For one statement and the open resources of a filter: the positions it can touch, and those it allows outright. */
  interface Reach {
    touched: number[];
    allows: number[];
  }
  const reaches = new WeakMap<Statement, Map<OpenList, Reach>>();
  function reachOf(st: Statement, list: OpenList): Reach {
    let perList = reaches.get(st);
    if (!perList) reaches.set(st, (perList = new Map()));
    let hit = perList.get(list);
    if (!hit) {
      hit = { touched: [], allows: [] };
      for (let j = 0; j < list.items.length; j++) {
        const open = list.items[j];
        if (!open) continue;
        if (touches(st, open)) hit.touched.push(j);
        if (allowsAll(st, open)) hit.allows.push(j);
      }
      // Lists are one per snapshot and filter; a bound for servers that see many.
      if (perList.size > 64) perList.clear();
      perList.set(list, hit);
    }
    return hit;
  }

  /**
   * Whether an Allow statement applies, without condition, to every request of `open`: no Condition, every action
   * matched, every resource matched by a Resource pattern the way the engine matches it (anchored, case-sensitive
   * glob); a pattern with `$` (a variable, or an escape) is not relied on.
   */
  function allowsAll(st: Statement, open: OpenRequests): boolean {
    if (st.effect !== 'Allow' || st.conditions.length || st.notResource) return false;
    const patterns = (st.resource ?? ['*']).filter((p) => !p.includes('$')).map((p) => compileGlob(p));
    return (
      open.resources.every((r) => patterns.some((m) => m(r))) &&
      [...open.actions].every((a) => matches(st, a))
    );
  }

  /**
   * Whether an identity or boundary statement can apply to one of `open`'s requests, over-approximated: action
   * and resource are matched separately, policy variables in Resource are widened to `*` (a value can be any
   * text), as the engine does for unknown variables (compile/arn-matcher.ts), and case is ignored. No Resource, or
   * NotResource: it may.
   */
  function touches(st: Statement, open: OpenRequests): boolean {
    const patterns = st.notResource ? undefined : st.resource;
    if (patterns && !patterns.some((p) => open.resources.some(compileGlob(widenVariables(p), true))))
      return false;
    const mine = lowerActionsOf(st);
    // Walk the smaller side: `*` names 20,000 actions.
    if (mine.size < open.actions.size) {
      for (const a of mine) if (open.actions.has(a)) return true;
    } else for (const a of open.actions) if (mine.has(a)) return true;
    return false;
  }

  /** `known.open`'s requests within `filter`, by position (`KnownResource.openIndex`). */
  const openLists = new WeakMap<KnownResources, Map<ActionFilter, OpenList>>();
  function openListOf(known: KnownResources, filter: ActionFilter): OpenList {
    let perFilter = openLists.get(known);
    if (!perFilter) openLists.set(known, (perFilter = new Map()));
    let list = perFilter.get(filter);
    if (!list) {
      list = { items: known.open.map((r) => openRequests(r, filter)) };
      if (perFilter.size > 64) perFilter.clear();
      perFilter.set(filter, list);
    }
    return list;
  }

  /**
   * The requests `resourceGrants` makes on `r` within `filter` for a principal its policy does not name: those of
   * the Allow statements open to anyone (`*`, NotPrincipal). Undefined when there are none.
   */
  const openByFilter = new WeakMap<KnownResource, Map<ActionFilter, OpenRequests | null>>();
  function openRequests(r: KnownResource, filter: ActionFilter): OpenRequests | undefined {
    let perFilter = openByFilter.get(r);
    if (!perFilter) openByFilter.set(r, (perFilter = new Map()));
    let hit = perFilter.get(filter);
    if (hit === undefined) {
      const service = arnService(r.arn);
      const actions = new Set<string>();
      const resources = new Set<string>();
      for (const st of r.policy.statements)
        if (
          st.effect === 'Allow' &&
          (st.notPrincipal || st.principal?.any || st.principal?.aws.includes('*'))
        )
          for (const [action, resource] of requestsOf(r, st, service, filter)) {
            actions.add(action.toLowerCase());
            resources.add(resource);
          }
      hit = actions.size
        ? {
            arn: r.arn,
            ...(r.account ? { account: r.account } : {}),
            ...(r.rcpReaders ? { rcpReaders: r.rcpReaders } : {}),
            roots: Array.from({ length: 8 }, () => ({})),
            actions,
            resources: [...resources],
          }
        : null;
      if (perFilter.size > 64) perFilter.clear();
      perFilter.set(filter, hit);
    }
    return hit ?? undefined;
  }

  /** Every request allowed on the resources `arns`, from the access panel's resources section (access.ts). */
  function completeGrants(
    snapshot: AccountSnapshot,
    principalArn: string,
    arns: ReadonlySet<string>,
    filter: ActionFilter,
  ): AccessGrant[] {
    const out: AccessGrant[] = [];
    const analysis = SnapshotAnalysis.of(snapshot);
    for (const r of resourcesAccessWithCatalog(catalog, analysis, principalArn, arns, filter, supportsRcp) ??
      [])
      for (const l of r.levels)
        for (const g of l.grants)
          for (const action of g.actions) {
            const { service, level } = describe(action);
            const x: AccessGrant = {
              action,
              service,
              level,
              resource: g.scope,
              known: true,
              decision: g.decision,
              complete: true,
            };
            if (g.conditions !== undefined) x.conditions = g.conditions;
            out.push(x);
          }
    return out;
  }

  const partIds = new WeakMap<AccessGrant[], number>();
  let parts = 0;
  const partId = (list: AccessGrant[]): number => {
    let id = partIds.get(list);
    if (id === undefined) partIds.set(list, (id = parts++));
    return id;
  };

  return {
    get computed() {
      return computed;
    },
    actionsOf(document, kind = 'identity') {
      const out = new Set<string>();
      for (const st of parse(document, kind)?.statements ?? [])
        for (const a of statementActions(st)) out.add(a.toLowerCase());
      return out;
    },
    grants(snapshot, principalArn, filter, complete) {
      const set = principalPolicySet(snapshot, principalArn);
      if (!set) return [];
      const principal = principalOf(snapshot, principalArn)!;
      // Two principals of one kind and account get the same answer when the statements that can decide a
      // filtered action are the same (the decision on an action depends only on the statements matching it) and
      // none of them reads the principal: members of a group share it whatever unrelated policies each has of
      // their own. The account decides which scopes are cross-account requests.
      const filterKey = filterId(filter);
      const account = arnAccount(principal.arn) ?? '';
      let key = `${principal.kind},${account},${filterKey}`;
      // SCPs and RCPs do not apply to a service-linked role (engine callerIsServiceLinked): its answers are its own.
      const serviceLinked =
        principal.kind === 'role' && protectedRoleKind(principal.arn) === 'service-linked';
      let dependent = serviceLinked;
      // The deciding statements (identity, boundary, then each SCP level) and where each limiting layer starts,
      // for the signatures and the per-resource keys.
      const deciding: Statement[] = [];
      const ids: number[] = [];
      const marks: Mark[] = [];
      // Positions of deciding statements whose answer is the principal's own (no sharing through them).
      const readers = new Set<number>();
      const collect = (policy: Policy | undefined, tag: string) => {
        const d = decidingIn(policy, filter);
        key += d.key ? `,${tag},${d.key}` : `,${tag}`;
        for (let i = 0; i < d.statements.length; i++) {
          const st = d.statements[i]!;
          let id = d.ids[i]!;
          if (d.reads && readsThePrincipal(st)) {
            const keyed = principalStatementId(st, id, principal, snapshot.collectedAt);
            if (keyed === undefined) {
              dependent = true;
              readers.add(deciding.length);
            } else key += `~${(id = keyed)}`;
          }
          deciding.push(st);
          ids.push(id);
        }
      };
      for (const p of set.identity) collect(parse(documentOf(p), 'identity'), 'I');
      // A boundary or SCP level with no matching statement still denies: its presence is part of the key.
      if (set.boundary) {
        marks.push({ at: deciding.length, step: BOUNDARY });
        collect(parse(documentOf(set.boundary), 'identity'), 'B');
      }
      const scps = set.scps
        ? compiledOrgLayers(SnapshotAnalysis.of(snapshot), 'SERVICE_CONTROL_POLICY', account, set.scps)
            .compiled
        : undefined;
      for (const level of scps ?? []) {
        marks.push({ at: deciding.length, step: SCP_LEVEL });
        key += ',S';
        for (const p of level) collect(p.policy, 'P');
      }
      const keyId = dependent ? undefined : key;
      let perSnapshot = shared.get(snapshot);
      if (!perSnapshot) shared.set(snapshot, (perSnapshot = new Map()));
      let principalSide: CompiledPolicySet | undefined;
      const compiledPrincipal = () =>
        (principalSide ??= {
          identity: set.identity.map((p) => compileOnce(p, 'identity')),
          ...(set.boundary ? { boundary: compileOnce(set.boundary, 'boundary') } : {}),
          ...(scps ? { scps } : {}),
          diagnostics: [],
        });
      const cachedOr = (k: string | undefined, compute: () => AccessGrant[]): AccessGrant[] => {
        let hit = k === undefined ? undefined : perSnapshot.get(k);
        if (!hit) {
          computed++;
          hit = compute();
          if (k !== undefined) perSnapshot.set(k, hit);
        }
        return hit;
      };
      // The answer is the scope grants and each known resource's, in order: when every part is a shared one, the
      // concatenation is kept under their ids so principals sharing all of them get one array.
      const parts: AccessGrant[][] = [
        cachedOr(keyId, () =>
          scopeGrants(
            snapshot.collectedAt,
            principal,
            deciding,
            marks[0]?.at ?? deciding.length,
            compiledPrincipal(),
            filter,
          ),
        ),
      ];
      let whole = keyId !== undefined;
      const session = requestPrincipalOf(principal);
      const known = knownResources(snapshot);
      // Only the resources open to anyone, unless a policy names the principal (then all, in the same order).
      const named = known.byName.has(principal.arn) || known.byName.has(session);
      const list = openListOf(known, filter);
      let keys: (KeyNode | undefined)[] | undefined;
      for (const r of named ? known.all : known.open) {
        if (complete?.has(r.arn)) continue;
        const own = named && (r.named.has(principal.arn) || r.named.has(session));
        // Nothing in this policy can grant to the principal: no grant here, nothing to evaluate.
        const open = own || !r.open ? undefined : list.items[r.openIndex];
        if (!own && !open) continue;
        const node =
          !open || r.dependent || serviceLinked
            ? undefined
            : (keys ??= resourceKeys(list, principal, deciding, ids, marks, readers, snapshot.collectedAt))[
                r.openIndex
              ];
        let grants = node?.grants;
        if (!grants) {
          computed++;
          grants = resourceGrants(snapshot.collectedAt, r, principal, compiledPrincipal(), filter);
          if (node) node.grants = grants;
          else whole = false;
        }
        parts.push(grants);
      }
      if (complete?.size) {
        computed++;
        parts.push(completeGrants(snapshot, principalArn, complete, filter));
        whole = false;
      }
      if (parts.length === 1) return parts[0]!;
      if (!whole) return concat(parts);
      const partsKey = `\u0000${parts.map(partId).join(',')}`;
      let out = perSnapshot.get(partsKey);
      if (!out) perSnapshot.set(partsKey, (out = concat(parts)));
      return out;
    },
  };
}

/** `lists.flat()`, which V8 runs several times slower for a hundred short arrays (every principal's answer). */
function concat<T>(lists: readonly T[][]): T[] {
  let n = 0;
  for (const l of lists) n += l.length;
  const out = new Array<T>(n);
  let i = 0;
  for (const l of lists) for (const x of l) out[i++] = x;
  return out;
}

interface KnownResource {
  arn: string;
  /** The account that owns it (policy-set.ts `resourceSideFor`), when known. */
  account?: string;
  policy: Policy;
  compiled: CompiledPolicySet['resource'];
  /** The RCP levels over its account, when they apply to its service. */
  rcps?: CompiledPolicySet['rcps'];
  /** Its RCPs' statements that read the principal in a Condition only, with their ids. */
  rcpReaders?: { st: Statement; id: number }[];
  /** Principal ARNs (and role sessions) any statement names: their answers are their own. */
  named: Set<string>;
  /** The policy or an RCP over it reads the principal (variables, principal keys): no answer is shared. */
  dependent: boolean;
  /** Some Allow statement grants to anyone (`*`, NotPrincipal): every principal may get something here. */
  open: boolean;
  /** Its position in `KnownResources.open` (-1 when not open). */
  openIndex: number;
}

interface KnownResources {
  /** In snapshot order. */
  all: KnownResource[];
  /** Those with an Allow statement open to anyone. */
  open: KnownResource[];
  /** By principal ARN (or role session) a statement names. */
  byName: Map<string, KnownResource[]>;
  /** The organization the RCPs were read from. */
  organization: AccountSnapshot['organization'];
}

/** `KnownResources.open`'s requests within one filter, by position (undefined: none open to the principal). */
interface OpenList {
  items: (OpenRequests | undefined)[];
}

/**
 * A node of the per-resource sharing key (`resourceKeys`): the path from a root is the deciding statements' ids,
 * numbers rather than a joined string, so the hundred thousand keys of a large what-if are never built or hashed.
 */
interface KeyNode {
  next?: Map<number, KeyNode>;
  grants?: AccessGrant[];
}
/** The steps for "the permissions boundary starts here" and "an SCP level starts here" (statement ids are never
 * negative). */
const BOUNDARY = -1;
const SCP_LEVEL = -2;
/** Where a limiting layer starts among the deciding statements, and its step in the sharing key. */
interface Mark {
  at: number;
  step: typeof BOUNDARY | typeof SCP_LEVEL;
}
function step(node: KeyNode, id: number): KeyNode {
  node.next ??= new Map();
  let child = node.next.get(id);
  if (!child) node.next.set(id, (child = {}));
  return child;
}

/** The requests made on a known resource for principals its policy does not name (see openRequests). */
interface OpenRequests {
  arn: string;
  /** The resource's account, when known. */
  account?: string;
  /** KnownResource.rcpReaders. */
  rcpReaders?: { st: Statement; id: number }[];
  /**
   * The roots of the sharing keys of answers on these requests: users, then roles; each from the resource's
   * account, then from another (the engine's cross-account rule); each without and with an identity Allow
   * covering them all (resourceKeys).
   */
  roots: KeyNode[];
  /** Lower-case. */
  actions: Set<string>;
  resources: string[];
}

/** Whether an Allow statement of a resource policy can grant `arn` directly (who-can.ts resourceCandidates). */
function namesPrincipal(st: Statement, arn: string, session: string): boolean {
  if (st.notPrincipal || st.principal?.any) return true;
  return (st.principal?.aws ?? []).some((v) => v === '*' || v === arn || asRequester(v) === session);
}

/**
 * A Principal value as the request principal it can name: any session of a role stands for the role's own
 * (`requestPrincipalOf`), since the engine answers "if the session is named …" for it.
 */
function asRequester(value: string): string {
  const s = namedSession(value);
  if (!s) return value;
  return `${value.slice(0, value.indexOf(':sts::'))}:sts::${s.account}:assumed-role/${s.role}/${SESSION_NAME}`;
}

export function principalOf(s: AccountSnapshot, arn: string): Principal | undefined {
  return SnapshotAnalysis.of(s).lookups.principals.get(arn);
}
