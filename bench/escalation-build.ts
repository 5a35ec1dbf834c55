/**
 * The escalation build alone on a generated account, for before/after comparisons of the builder:
 *
 *   npx tsx bench/escalation-build.ts [--preset large] [--users N --roles N] [--self-service] [--seed 1]
 *   npx tsx bench/escalation-build.ts --accounts 4 [--principals 200]     # an organization (broad-IAM shape)
 *
 * `--self-service` adds AWS's "update their own credentials" example policy (IAM user guide,
 * reference_policies_examples_iam_credentials_console: `iam:*AccessKey*` … on `user/${aws:username}`) to a new
 * group holding every user, the shape of a well-run account that makes per-target evaluation quadratic.
 * Prints time, edges, fan-out entries and classes, and the process's max RSS, as JSON.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importBundle } from '../importers/index.ts';
import type { AccountSnapshot, IamGroup } from '../schema/snapshot.ts';
import { ADMIN, buildEscalationGraph } from '../server/analysis/escalation/index.ts';
import { loadCatalog } from './generate/catalog.ts';
import { generateOrganization } from './generate/generate-organization.ts';
import { generateAccount, PRESETS, writeAccount, type PresetName } from './generate/generate-account.ts';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'large' },
    users: { type: 'string' },
    roles: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'self-service': { type: 'boolean', default: false },
    accounts: { type: 'string' },
    principals: { type: 'string', default: '200' },
  },
});

const SELF_SERVICE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetAccountPasswordPolicy'], Resource: '*' },
    {
      Effect: 'Allow',
      Action: [
        'iam:*AccessKey*',
        'iam:ChangePassword',
        'iam:GetUser',
        'iam:*ServiceSpecificCredential*',
        'iam:*SigningCertificate*',
      ],
      Resource: ['arn:aws:iam::*:user/${aws:username}'],
    },
  ],
});

function withSelfService(s: AccountSnapshot): AccountSnapshot {
  const group: IamGroup = {
    kind: 'group',
    id: 'AGPAALLUSERSSELFSERVICE',
    arn: `arn:${s.partition}:iam::${s.accountId}:group/AllUsers`,
    name: 'AllUsers',
    path: '/',
    inlinePolicies: [{ name: 'manage-own-credentials', document: SELF_SERVICE }],
    attachedPolicies: [],
  };
  return {
    ...s,
    groups: [...s.groups, group],
    users: s.users.map((u) => ({ ...u, groups: [...u.groups, group.arn] })),
  };
}

const preset = PRESETS[values.preset as PresetName];
const options = {
  ...preset,
  ...(values.users ? { users: Number(values.users) } : {}),
  ...(values.roles ? { roles: Number(values.roles) } : {}),
  seed: values.seed!,
};
const organization = values.accounts
  ? { accounts: Number(values.accounts), principals: Number(values.principals), seed: values.seed! }
  : undefined;
const dir = organization
  ? join(tmpdir(), `accessgraph-escalation-build-org-${organization.accounts}-${organization.principals}`)
  : join(
      tmpdir(),
      `accessgraph-escalation-build-${values.preset}-${options.users}-${options.roles}-${options.seed}`,
    );
if (!existsSync(join(dir, 'authorization-details.json'))) {
  await mkdir(dir, { recursive: true });
  if (organization)
    await generateOrganization(await loadCatalog(), organization, (files) => writeAccount({ files }, dir));
  else await writeAccount(await generateAccount(options), dir);
}
let snapshot = (await importBundle([dir])).snapshot!;
if (values['self-service']) snapshot = withSelfService(snapshot);
const rssBefore = process.resourceUsage().maxRSS;
const start = performance.now();
const graph = await buildEscalationGraph(snapshot);
const ms = performance.now() - start;
const classes = new Set((graph.fanOut ?? []).map((f) => f.targets));
// Steps from one account into another (fan-out entries expanded), by technique.
const account = (arn: string) => arn.split(':')[4];
const crossAccount: Record<string, number> = {};
const cross = (from: string, to: string, technique: string) => {
  if (to !== ADMIN && account(from) !== account(to))
    crossAccount[technique] = (crossAccount[technique] ?? 0) + 1;
};
for (const e of graph.edges) cross(e.from, e.to, e.technique);
for (const f of graph.fanOut ?? []) for (const t of f.targets) cross(f.from, t, f.technique);
console.log(
  JSON.stringify({
    users: snapshot.users.length,
    roles: snapshot.roles.length,
    selfService: values['self-service'],
    buildMs: Math.round(ms),
    edges: graph.edges.length,
    fanOut: graph.fanOut?.length ?? 0,
    classes: classes.size,
    classMembers: [...classes].reduce((n, t) => n + t.length, 0),
    admins: graph.admins.size,
    crossAccountSteps: Object.values(crossAccount).reduce((n, x) => n + x, 0),
    crossAccountByTechnique: crossAccount,
    maxRssMbBeforeBuild: Math.round(rssBefore / 1024),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
