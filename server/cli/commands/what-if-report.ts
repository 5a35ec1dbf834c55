/**
 * CI renderings of a what-if: SARIF 2.1.0 (GitHub code scanning: one result per new path to admin, new
 * admin-equivalent principal, new public or cross-account access) and Markdown (a pull-request comment). Pure:
 * the diff, the changes with where each came from (a plan resource address, a change file entry, a flag), and the
 * policies the change set sets, in; a document out.
 *
 * A result points at the changes that name its principal — as target, member, or through a group or a managed
 * policy it holds — and, when none does (a principal reaching admin through an existing permission, as bob through
 * a new role his `iam:PassRole` covers), at every change of the set.
 */
import type { AccountSnapshot } from '../../../schema/snapshot.ts';
import type { ChangeInput } from '../../analysis/what-if/changes.ts';
import {
  mostTelling,
  type AccessDiff,
  type GrantChange,
  type PrincipalDiff,
} from '../../analysis/what-if/diff.ts';
import type { Exposure } from '../../analysis/policy-exposure.ts';

/** Where a change came from. */
export interface ChangeOrigin {
  /** `aws_iam_group_policy_attachment.qa_s3`, `changes[2]`, `--attach`. */
  label: string;
  /** The file holding it (plan or change file). */
  file?: string;
  /** 1-based line of the file where it starts, when known. */
  line?: number;
}

/** A policy of the change set that lets in what it did not before. */
export interface ExposureFinding extends Exposure {
  origin: ChangeOrigin;
  /** The resource (ARN, name, URL) or `role/NAME` for a trust policy. */
  resource: string;
  kind: 'trust' | 'resource';
}

export interface ReportInput {
  snapshot: Pick<AccountSnapshot, 'label' | 'accountId' | 'users' | 'groups' | 'roles' | 'policies'>;
  diff: AccessDiff;
  changes: readonly ChangeInput[];
  /** One per change, same order. */
  origins: readonly ChangeOrigin[];
  exposures: readonly ExposureFinding[];
  gates: readonly string[];
  violations: readonly string[];
  /** Warnings to show with the result (unresolved plan values, no-op changes). */
  warnings: readonly string[];
  /** What was compared, e.g. `plan.json`. */
  title: string;
}

const IAM_ARN = /^arn:[^:]+:iam::\d{12}:(user|group|role)((?:\/.*)?\/)([^/]+)$/;

/** `user/ops/bob` for an IAM ARN. */
const shortName = (arn: string) => arn.replace(/^arn:[^:]+:iam::\d{12}:/, '');

/** Everything a change names, as the references a principal or group can be named by. */
function referencesOf(c: ChangeInput): { refs: string[]; policy?: string } {
  const x = c as Record<string, unknown>;
  const refs: string[] = [];
  for (const f of ['target', 'user', 'group']) if (typeof x[f] === 'string') refs.push(x[f] as string);
  if (c.op === 'createUser' || c.op === 'createGroup' || c.op === 'createRole')
    refs.push(`${c.op.slice(6).toLowerCase()}/${c.name}`);
  const policy =
    c.op === 'createPolicy'
      ? c.name
      : c.op === 'updatePolicy' || c.op === 'deletePolicy'
        ? c.policy
        : undefined;
  return { refs, ...(policy ? { policy } : {}) };
}

/** Does a reference (`user/bob`, `user/ops/bob`, bare `bob`, an ARN) name this entity? */
function names(ref: string, arn: string): boolean {
  const m = IAM_ARN.exec(arn);
  if (!m) return ref === arn;
  const [, kind, path, name] = m;
  return ref === arn || ref === `${kind}/${name}` || ref === `${kind}${path}${name}` || ref === name;
}

/** Indices of the changes that concern a principal (see the module comment). */
export function changesConcerning(input: ReportInput, arn: string): number[] {
  const user = input.snapshot.users.find((u) => u.arn === arn);
  const holder = [...input.snapshot.users, ...input.snapshot.roles].find((p) => p.arn === arn);
  const groups = new Set(user?.groups ?? []);
  input.changes.forEach((c) => {
    if (c.op === 'addUserToGroup' && names(c.user, arn)) {
      const g = input.snapshot.groups.find((x) => names(c.group, x.arn));
      groups.add(g?.arn ?? c.group);
    }
  });
  const held = new Set([
    ...(holder?.attachedPolicies ?? []),
    ...(holder?.permissionsBoundary ? [holder.permissionsBoundary] : []),
  ]);
  for (const g of input.snapshot.groups)
    if (groups.has(g.arn)) for (const p of g.attachedPolicies) held.add(p);
  const policyNamed = (ref: string) =>
    [...held].some((p) => p === ref || p.endsWith(`/${ref}`)) ||
    input.changes.some(
      (c) =>
        c.op === 'attachPolicy' &&
        c.policy === ref &&
        (names(c.target, arn) || [...groups].some((g) => names(c.target, g) || c.target === g)),
    );
  // A resource policy change concerns those whose access to that resource changed.
  const diff = input.diff.principals.find((p) => p.arn === arn);
  const onResources = [
    ...new Set(
      [...(diff?.granted ?? []), ...(diff?.revoked ?? []), ...(diff?.conditional ?? [])]
        .filter((g) => g.known)
        .map((g) => g.resource),
    ),
  ];
  const out: number[] = [];
  input.changes.forEach((c, i) => {
    const { refs, policy } = referencesOf(c);
    if (
      refs.some((r) => names(r, arn) || [...groups].some((g) => r === g || names(r, g))) ||
      (policy !== undefined && policyNamed(policy)) ||
      ('resource' in c && onResources.some((r) => namesResource(c.resource, r)))
    )
      out.push(i);
  });
  return out;
}

/**
 * Does a resource reference (an ARN, a bucket or repository name, a key id, a queue URL) name the resource a grant
 * is on (its ARN, or a bucket's `arn:aws:s3:::b/*`)?
 */
function namesResource(ref: string, grantResource: string): boolean {
  const arn = grantResource.endsWith('/*') ? grantResource.slice(0, -2) : grantResource;
  if (ref === arn) return true;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  return arn.endsWith(`:${name}`) || arn.endsWith(`/${name}`);
}

/** The distinct origins of some changes, or of all when none is given. */
function originsOf(input: ReportInput, indices: number[]): ChangeOrigin[] {
  const pick = indices.length ? indices.map((i) => input.origins[i]!) : [...input.origins];
  const seen = new Set<string>();
  return pick.filter((o) => !seen.has(o.label) && seen.add(o.label));
}

// --- SARIF 2.1.0 ---

const RULES = [
  {
    id: 'new-path-to-admin',
    name: 'NewPathToAdmin',
    shortDescription: { text: 'A principal gains a path to admin' },
    fullDescription: {
      text: 'After the change, the principal can reach an admin-equivalent principal through a chain of escalation edges (assume role, pass role, policy edits).',
    },
    defaultConfiguration: { level: 'error' },
  },
  {
    id: 'new-admin-equivalent',
    name: 'NewAdminEquivalent',
    shortDescription: { text: 'A principal becomes admin-equivalent' },
    fullDescription: {
      text: 'After the change, the principal may grant itself any permission (the IAM policy-granting actions on every resource).',
    },
    defaultConfiguration: { level: 'error' },
  },
  {
    id: 'new-public-access',
    name: 'NewPublicAccess',
    shortDescription: { text: 'A policy lets in any AWS principal' },
    fullDescription: {
      text: 'A resource or trust policy of the change allows `*` (any AWS account) where it did not before.',
    },
    defaultConfiguration: { level: 'error' },
  },
  {
    id: 'new-cross-account-access',
    name: 'NewCrossAccountAccess',
    shortDescription: { text: 'A policy lets in another account' },
    fullDescription: {
      text: 'A resource or trust policy of the change allows principals of another AWS account where it did not before.',
    },
    defaultConfiguration: { level: 'warning' },
  },
] as const;
type RuleId = (typeof RULES)[number]['id'];

interface SarifResult {
  ruleId: RuleId;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations: object[];
  partialFingerprints: Record<string, string>;
  properties?: Record<string, unknown>;
}

function location(o: ChangeOrigin): object {
  return {
    ...(o.file
      ? {
          physicalLocation: {
            artifactLocation: { uri: o.file.split('\\').join('/') },
            ...(o.line ? { region: { startLine: o.line } } : {}),
          },
        }
      : {}),
    logicalLocations: [{ fullyQualifiedName: o.label, kind: 'resource' }],
  };
}

export function renderSarif(input: ReportInput, toolVersion: string): object {
  const results: SarifResult[] = [];
  const add = (
    ruleId: RuleId,
    level: SarifResult['level'],
    text: string,
    key: string,
    where: ChangeOrigin[],
  ) =>
    results.push({
      ruleId,
      ruleIndex: RULES.findIndex((r) => r.id === ruleId),
      level,
      message: { text },
      locations: where.map(location),
      partialFingerprints: { 'accessgraph/v1': `${ruleId}:${input.snapshot.accountId}:${key}` },
    });
  const from = (where: ChangeOrigin[]) => where.map((o) => `\`${o.label}\``).join(', ');
  for (const arn of input.diff.escalation?.pathsToAdminGained ?? []) {
    const where = originsOf(input, changesConcerning(input, arn));
    add(
      'new-path-to-admin',
      'error',
      `${shortName(arn)} can reach admin after this change (${from(where)})`,
      arn,
      where,
    );
  }
  for (const a of input.diff.admins.gained) {
    const where = originsOf(input, changesConcerning(input, a.arn));
    add(
      'new-admin-equivalent',
      a.after === 'CONDITIONAL' ? 'warning' : 'error',
      `${shortName(a.arn)} becomes admin-equivalent${a.after === 'CONDITIONAL' ? ' (under conditions)' : ''} (${from(where)})`,
      a.arn,
      where,
    );
  }
  for (const e of input.exposures) {
    const pub = e.who === '*';
    add(
      pub ? 'new-public-access' : 'new-cross-account-access',
      e.conditional ? 'warning' : pub ? 'error' : 'warning',
      `${e.kind === 'trust' ? 'trust policy of' : 'policy of'} ${e.resource} lets in ${pub ? 'any AWS principal' : `account ${e.who}`}${e.conditional ? ' (under conditions)' : ''} (\`${e.origin.label}\`)`,
      `${e.origin.label}:${e.who}`,
      [e.origin],
    );
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'accessgraph',
            version: toolVersion,
            rules: RULES,
          },
        },
        results,
        properties: {
          account: input.snapshot.accountId,
          snapshot: input.snapshot.label,
          summary: input.diff.summary,
        },
      },
    ],
  };
}

// --- Markdown (a pull-request comment) ---

/** Long sections fold away: GitHub renders <details> in comments. */
const FOLD_OVER = 10;

const md = (s: string) => s.replace(/([|\\`*_<>])/g, '\\$1');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function fold(summary: string, lines: string[]): string[] {
  if (lines.length <= FOLD_OVER) return lines;
  return ['<details>', `<summary>${summary}</summary>`, '', ...lines, '', '</details>'];
}

function byService(p: PrincipalDiff): string {
  const rows = [...p.byService].sort(
    (a, b) => b.granted + b.revoked + b.conditional - (a.granted + a.revoked + a.conditional),
  );
  const shown = rows.slice(0, 4).map((r) => {
    const parts = [
      r.granted && `+${r.granted}`,
      r.revoked && `−${r.revoked}`,
      r.conditional && `~${r.conditional}`,
    ];
    return `${r.service} ${r.level} ${parts.filter(Boolean).join(' ')}`;
  });
  if (rows.length > 4) shown.push(`… ${rows.length - 4} more`);
  return shown.join('<br>');
}

const example = (list: GrantChange[]) => {
  const e = mostTelling(list);
  return e
    ? `${code(e.action)} on ${code(e.resource)}${list.length > 1 ? ` (+${list.length - 1})` : ''}`
    : '—';
};

export function renderMarkdown(input: ReportInput): string {
  const { diff } = input;
  const s = diff.summary;
  const out: string[] = [];
  const verdict = !input.gates.length
    ? ''
    : input.violations.length
      ? ` — ❌ **gate failed** (\`--fail-on ${input.gates.join(',')}\`)`
      : ` — ✅ gate passed (\`--fail-on ${input.gates.join(',')}\`)`;
  out.push(`### accessgraph what-if: ${md(input.title)}${verdict}`, '');
  out.push(
    `On ${md(input.snapshot.label)} (${input.snapshot.accountId}): ${input.changes.length} change(s); ` +
      `**${s.principalsChanged}** principal(s) change access (${s.granted} grant(s), ${s.revoked} revocation(s)); ` +
      `admins +${s.adminsGained} −${s.adminsLost}` +
      (diff.escalation ? `; paths to admin +${s.pathsToAdminGained} −${s.pathsToAdminLost}` : '') +
      (input.exposures.length ? `; **${input.exposures.length}** new public or cross-account access` : '') +
      '.',
    '',
  );
  if (input.violations.length) {
    out.push('#### Gate violations', '');
    out.push(
      ...fold(
        `${input.violations.length} violation(s)`,
        input.violations.map((v) => `- ${md(v)}`),
      ),
      '',
    );
  }
  const attention: string[] = [];
  for (const a of diff.admins.gained)
    attention.push(
      `- 🔴 ${code(shortName(a.arn))} becomes admin-equivalent${a.after === 'CONDITIONAL' ? ' (under conditions)' : ''} — from ${originsOf(
        input,
        changesConcerning(input, a.arn),
      )
        .map((o) => code(o.label))
        .join(', ')}`,
    );
  for (const arn of diff.escalation?.pathsToAdminGained ?? [])
    attention.push(
      `- 🔴 ${code(shortName(arn))} gains a path to admin — from ${originsOf(
        input,
        changesConcerning(input, arn),
      )
        .map((o) => code(o.label))
        .join(', ')}`,
    );
  for (const e of input.exposures)
    attention.push(
      `- 🟠 ${e.kind === 'trust' ? 'trust policy of' : 'policy of'} ${code(e.resource)} lets in ${e.who === '*' ? '**any AWS principal**' : `account ${code(e.who)}`}${e.conditional ? ' (under conditions)' : ''} — ${code(e.origin.label)}`,
    );
  if (attention.length)
    out.push('#### Needs attention', '', ...fold(`${attention.length} item(s)`, attention), '');
  if (diff.principals.length) {
    const rows = [
      '| principal | change | gains | loses | by service and access level (+ gained, − lost, ~ conditions) | from |',
      '|---|---|---|---|---|---|',
      ...diff.principals.map(
        (p) =>
          `| ${p.kind} ${code(p.name)} | ${p.change} | ${example(p.granted)} | ${example(p.revoked)} | ${byService(p)} | ${originsOf(
            input,
            changesConcerning(input, p.arn),
          )
            .slice(0, 3)
            .map((o) => code(o.label))
            .join('<br>')} |`,
      ),
    ];
    out.push('#### Who gains or loses what', '', ...fold(`${diff.principals.length} principal(s)`, rows), '');
  } else out.push('No principal of the account gains or loses access.', '');
  if (diff.escalation) {
    const e = diff.escalation;
    const lines = [
      ...e.added.map(
        (x) => `- opened: ${code(shortName(x.from))} → ${code(shortName(x.to))} (${x.technique})`,
      ),
      ...e.fanOutAdded.map(
        (f) =>
          `- opened: ${code(shortName(f.from))} → ${md(f.targetClass)} [${f.targetCount}] (${f.technique})`,
      ),
      ...e.removed.map(
        (x) => `- closed: ${code(shortName(x.from))} → ${code(shortName(x.to))} (${x.technique})`,
      ),
      ...e.fanOutRemoved.map(
        (f) =>
          `- closed: ${code(shortName(f.from))} → ${md(f.targetClass)} [${f.targetCount}] (${f.technique})`,
      ),
      ...e.pathsToAdminLost.map((arn) => `- no more path to admin from ${code(shortName(arn))}`),
    ];
    if (lines.length) out.push('#### Escalation paths', '', ...fold(`${lines.length} change(s)`, lines), '');
  }
  const changeRows = [
    '| from | change |',
    '|---|---|',
    ...input.changes.map((c, i) => `| ${code(input.origins[i]!.label)} | ${md(describeChange(c))} |`),
  ];
  if (input.changes.length)
    out.push(
      '<details>',
      `<summary>${input.changes.length} change(s) evaluated</summary>`,
      '',
      ...changeRows,
      '',
      '</details>',
      '',
    );
  if (input.warnings.length)
    out.push(
      '<details>',
      `<summary>${input.warnings.length} warning(s)</summary>`,
      '',
      ...input.warnings.map((w) => `- ${md(w)}`),
      '',
      '</details>',
      '',
    );
  for (const n of diff.notes) out.push(`> note: ${md(n)}`);
  return out.join('\n').trimEnd() + '\n';
}

/** One line per change: `attachPolicy AmazonS3FullAccess → group/QA`. */
export function describeChange(c: ChangeInput): string {
  const x = c as Record<string, unknown>;
  switch (c.op) {
    case 'attachPolicy':
    case 'detachPolicy':
    case 'setPermissionsBoundary':
      return `${c.op} ${c.policy} → ${c.target}`;
    case 'addUserToGroup':
    case 'removeUserFromGroup':
      return `${c.op} ${c.user} → ${c.group}`;
    case 'deactivateAccessKey':
      return `${c.op} ${c.accessKeyId ?? `slot ${c.slot}`} of ${c.user}`;
    case 'putInlinePolicy':
    case 'deleteInlinePolicy':
      return `${c.op} ${c.name} → ${c.target}`;
    case 'createUser':
    case 'createGroup':
    case 'createRole':
    case 'createPolicy':
      return `${c.op} ${c.path && c.path !== '/' ? c.path : ''}${c.name}`;
    default:
      return `${c.op} ${String(x.target ?? x.policy ?? x.resource ?? '')}`;
  }
}
