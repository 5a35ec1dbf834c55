/**
 * What the golden tests ask, per fixture: GraphQL cases (a Query field and its variables; the document selects
 * every field, selection.ts) and CLI cases (arguments before `--json` and the store's flags). Placeholders in
 * variables and arguments are filled per run (golden.ts): `<snapshot>`, `<snapshot:later>`, `<diff:from>`,
 * `<diff:to>`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/run-cli.ts';

export interface GraphqlCase {
  name: string;
  field: string;
  variables: Record<string, unknown>;
  /** Nested fields to select that documents leave out by default, with their arguments (selection.ts). */
  include?: Record<string, string>;
}

export interface CliCase {
  name: string;
  args: string[];
  /** The command reads no store (`eval`): no store flags. */
  storeless?: boolean;
  /** Keeps the part of the output that is this fixture's own (`snapshots` lists every snapshot of the store). */
  keep?: (output: unknown) => unknown;
}

export interface Cases {
  graphql: GraphqlCase[];
  cli: CliCase[];
}

const S = '<snapshot>';
const LATER = '<snapshot:later>';

/** A what-if change set in the CLI's file format (docs/what-if.md), as GraphQL `ChangeInput`s. */
function changeInputs(file: string): Record<string, unknown>[] {
  const changes = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>[];
  return changes.map((c) =>
    typeof c.document === 'object' ? { ...c, document: JSON.stringify(c.document) } : c,
  );
}

/** The policy fields of `EvaluationInput`: JSON text in GraphQL, JSON objects in an `accessgraph eval` file. */
const POLICY_FIELDS = new Set([
  'identityPolicies',
  'permissionsBoundary',
  'resourcePolicy',
  'sessionPolicy',
  'vpcEndpointPolicy',
  'serviceControlPolicies',
  'resourceControlPolicies',
]);

/** An `accessgraph eval` request file as GraphQL `EvaluationInput`. */
function evaluationInput(file: string): Record<string, unknown> {
  const input = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;
  const text = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(text) : typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, POLICY_FIELDS.has(k) ? text(v) : v]));
}

/** The account's own two snapshots, without `current`: another test may load the same account into Neo4j. */
const ownSnapshots = (output: unknown): unknown =>
  Array.isArray(output)
    ? output
        .filter((s: { id?: string }) => s.id === S || s.id === LATER)
        .map(({ current: _current, ...s }: Record<string, unknown>) => s)
    : output;

interface AccountCases {
  users: string[];
  roles: string[];
  groups: string[];
  policies: string[];
  resources: string[];
  /** [action, resource] for who-can and who-can-reach. */
  requests: [string, string][];
  /** [principal, target] for paths between two principals. */
  pathPairs: [string, string][];
  /** what-if change sets (files in the CLI's format). */
  changeSets: string[];
  /** One principal the CLI commands are asked about. */
  cliPrincipal: string;
  /** The service each principal's access is asked for (a whole admin's access is every AWS action). */
  accessService: string;
  /** Principals whose whole access is asked for. */
  wholeAccess: string[];
  /** Principals unusedAccess and rightsize are asked about (names). */
  unused: string[];
}

function accountCases(a: AccountCases): GraphqlCase[] {
  const principals = [...a.users, ...a.roles];
  const q = (
    name: string,
    field: string,
    variables: Record<string, unknown>,
    include?: Record<string, string>,
  ): GraphqlCase => ({
    name,
    field,
    variables,
    ...(include ? { include } : {}),
  });
  return [
    q('snapshot', 'snapshot', { id: S }),
    q('snapshot later', 'snapshot', { id: LATER }),
    q('principals', 'principals', { snapshotId: S, first: 500 }),
    q('principals roles page', 'principals', { snapshotId: S, first: 3, filter: { kind: 'ROLE' } }),
    q('findings', 'findings', { snapshotId: S }),
    q('findings high', 'findings', { snapshotId: S, severity: 'HIGH' }),
    q('graph', 'graph', { snapshotId: S, depth: 2 }),
    q('graph around first user', 'graph', { snapshotId: S, focus: a.users[0], depth: 2 }),
    q('chokePoints', 'chokePoints', { snapshotId: S, top: 10 }),
    q('unusedAccess', 'unusedAccess', { snapshotId: S, principals: a.unused }),
    q('unusedAccess 30 days', 'unusedAccess', { snapshotId: S, principals: a.unused, unusedDays: 30 }),
    q('rightsize', 'rightsize', { snapshotId: S, principals: a.unused }),
    q('diff', 'diff', { fromSnapshotId: S, toSnapshotId: LATER }),
    q('diff reversed', 'diff', { fromSnapshotId: LATER, toSnapshotId: S }),
    ...principals.flatMap((arn) => [
      q(
        `principal ${arn}`,
        'principal',
        { snapshotId: S, arn },
        { access: `(service: "${a.accessService}")` },
      ),
      q(`blastRadius ${arn}`, 'blastRadius', { snapshotId: S, principal: arn }),
      q(`paths ${arn} to admin`, 'paths', { snapshotId: S, from: arn, toAdmin: true, k: 5 }),
    ]),
    ...a.wholeAccess.map((arn) => q(`access ${arn}`, 'principal', { snapshotId: S, arn }, { access: '' })),
    ...a.pathPairs.map(([from, to]) =>
      q(`paths ${from} to ${to}`, 'paths', { snapshotId: S, from, to, k: 5 }),
    ),
    ...a.groups.map((arn) => q(`group ${arn}`, 'group', { snapshotId: S, arn })),
    ...a.policies.map((arn) => q(`policy ${arn}`, 'policy', { snapshotId: S, arn })),
    ...a.resources.map((arn) => q(`resource ${arn}`, 'resource', { snapshotId: S, arn })),
    ...a.requests.flatMap(([action, resource]) => [
      q(`whoCan ${action} ${resource}`, 'whoCan', {
        snapshotId: S,
        action,
        resource,
        includeDenied: true,
        includeIndirect: true,
      }),
      q(`whoCanReach ${action} ${resource}`, 'whoCanReach', { snapshotId: S, action, resource }),
      ...principals.slice(0, 3).map((arn) =>
        q(`simulate ${arn} ${action} ${resource}`, 'simulate', {
          snapshotId: S,
          principalArn: arn,
          action: action.replace('*', 'Object'),
          resource,
        }),
      ),
    ]),
    ...a.changeSets.map((file) =>
      q(`whatIf ${file}`, 'whatIf', { snapshotId: S, changes: changeInputs(file) }),
    ),
  ];
}

function accountCli(a: AccountCases): CliCase[] {
  const [action, resource] = a.requests[0]!;
  const from = ['--snapshot', S];
  return [
    { name: 'who-can', args: ['who-can', action, resource, '--include-denied', '--indirect', ...from] },
    { name: 'access', args: ['access', a.cliPrincipal, ...from] },
    { name: 'access service', args: ['access', a.unused[0]!, '--service', a.accessService, ...from] },
    { name: 'findings', args: ['findings', ...from] },
    { name: 'paths', args: ['paths', a.cliPrincipal, '--admin', ...from] },
    { name: 'blast-radius', args: ['blast-radius', a.cliPrincipal, ...from] },
    { name: 'what-if', args: ['what-if', '--changes', a.changeSets[0]!, '--fail-on', 'new-access', ...from] },
    { name: 'diff', args: ['diff', '<diff:from>', '<diff:to>', '--fail-on', 'new-admin'] },
    { name: 'rightsize', args: ['rightsize', '--principal', ...a.unused, ...from] },
    { name: 'snapshots', args: ['snapshots', 'list'], keep: ownSnapshots },
  ];
}

const iam = (account: string) => (rest: string) => `arn:aws:iam::${account}:${rest}`;
const demo = iam('111122223333');

const DEMO: AccountCases = {
  users: [
    'alice',
    'bob',
    'elena',
    'dave',
    'carol',
    'grace',
    'service-accounts/svc-notifier',
    'service-accounts/svc-deploy',
  ].map((n) => demo(`user/${n}`)),
  roles: [
    'lambda-order-processor',
    'ec2-build-agent',
    'cfn-deployer',
    'partner-auditor',
    'platform-admin',
  ].map((n) => demo(`role/${n}`)),
  groups: ['Admins', 'Engineering', 'QA', 'Contractors'].map((n) => demo(`group/${n}`)),
  policies: [
    demo('policy/QAServiceAccountKeys'),
    demo('policy/CfnDeployerPermissions'),
    demo('policy/ReportsReadOnly'),
    'arn:aws:iam::aws:policy/AdministratorAccess',
    'arn:aws:iam::aws:policy/AmazonS3FullAccess',
    'arn:aws:iam::aws:policy/PowerUserAccess',
    `${demo('user/bob')}#inline/lambda-deployer`,
    `${demo('role/lambda-order-processor')}#inline/orders`,
  ],
  resources: [
    'arn:aws:s3:::example-corp-engineering',
    'arn:aws:s3:::example-corp-reports',
    'arn:aws:sns:eu-central-1:111122223333:order-events',
    'arn:aws:kms:eu-central-1:111122223333:key/3f0c2a8e-5b7d-4c1e-9a6f-2d4b8e1c7a90',
    'arn:aws:secretsmanager:eu-central-1:111122223333:secret:orders-db-Xk3P9q',
  ],
  requests: [
    ['s3:GetObject', 'arn:aws:s3:::example-corp-engineering/builds/app.zip'],
    ['s3:PutObject*', 'arn:aws:s3:::example-corp-reports/2026/q4.csv'],
    ['iam:CreateUser', '*'],
    ['sns:Publish', 'arn:aws:sns:eu-central-1:111122223333:order-events'],
    ['kms:Decrypt', 'arn:aws:kms:eu-central-1:111122223333:key/3f0c2a8e-5b7d-4c1e-9a6f-2d4b8e1c7a90'],
    [
      'secretsmanager:GetSecretValue',
      'arn:aws:secretsmanager:eu-central-1:111122223333:secret:orders-db-Xk3P9q',
    ],
  ],
  pathPairs: [
    [demo('user/dave'), demo('role/cfn-deployer')],
    [demo('user/bob'), demo('role/lambda-order-processor')],
  ],
  changeSets: [
    'test/golden/changes/demo.json',
    'examples/what-if/contractor-onboarding.json',
    'examples/what-if/deny-deletes.json',
    'examples/what-if/lambda-deployers.json',
  ],
  cliPrincipal: 'bob',
  accessService: 's3',
  wholeAccess: [demo('user/bob'), demo('user/dave'), demo('role/cfn-deployer')],
  unused: ['dave', 'carol', 'svc-deploy', 'partner-auditor', 'lambda-order-processor'],
};

export const demoCases: Cases = {
  graphql: [
    ...accountCases(DEMO),
    {
      name: 'blastRadius unknown access key',
      field: 'blastRadius',
      variables: { snapshotId: S, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
    },
    { name: 'actions s3:Get', field: 'actions', variables: { prefix: 's3:Get', first: 100 } },
    {
      name: 'evaluate scp-deny',
      field: 'evaluate',
      variables: { input: evaluationInput('examples/eval/scp-deny.json') },
    },
    {
      name: 'evaluate mfa-conditional',
      field: 'evaluate',
      variables: { input: evaluationInput('examples/eval/mfa-conditional.json') },
    },
    {
      name: 'planChanges terraform',
      field: 'planChanges',
      variables: {
        snapshotId: S,
        file: 'handmade-updates-demo.json',
        text: readFileSync(join(ROOT, 'test/fixtures/terraform-plans/handmade-updates-demo.json'), 'utf8'),
      },
    },
  ],
  cli: [
    ...accountCli(DEMO),
    { name: 'eval scp-deny', args: ['eval', 'examples/eval/scp-deny.json'], storeless: true },
    { name: 'eval mfa-conditional', args: ['eval', 'examples/eval/mfa-conditional.json'], storeless: true },
    {
      name: 'what-if terraform',
      args: [
        'what-if',
        '--terraform-plan',
        'test/fixtures/terraform-plans/handmade-updates-demo.json',
        '--snapshot',
        S,
      ],
    },
  ],
};

const gen = iam('210987654321');

/** The generated account (README.md: seed and preset): its admins, escalation-prone principals and a few others. */
const GENERATED: AccountCases = {
  users: [
    'zoe.haddad.0',
    'oskar.silva.5',
    'hiro.okafor.6',
    'grace.mueller.7',
    'jamal.kim.8',
    'system/svc-ads-deploy-35',
  ].map((n) => gen(`user/${n}`)),
  roles: [
    'platform-ops-role-3',
    'catalog-sso-role-0',
    'checkout-svc-role-1',
    'security-svc-role-2',
    'service-role/data-svc-role-4',
    'growth-gha-role-14',
  ].map((n) => gen(`role/${n}`)),
  groups: ['Administrators', 'teams/growth-deployers-1', 'web-oncall-2'].map((n) => gen(`group/${n}`)),
  policies: [
    gen('policy/Boundary-data-0'),
    gen('policy/support/support-write-policy-3'),
    gen('policy/ads-deploy-policy-4'),
  ],
  resources: [
    'arn:aws:s3:::acme-security-logs-4',
    'arn:aws:s3:::acme-growth-raw-1',
    'arn:aws:sns:eu-central-1:210987654321:payments-events-0',
    'arn:aws:sqs:us-east-1:210987654321:search-jobs-0',
  ],
  requests: [
    ['s3:GetObject', 'arn:aws:s3:::acme-security-logs-4/2026/11/28/log.gz'],
    ['iam:PassRole', gen('role/platform-ops-role-3')],
    ['sns:Publish', 'arn:aws:sns:eu-central-1:210987654321:payments-events-0'],
  ],
  pathPairs: [[gen('user/oskar.silva.5'), gen('role/platform-ops-role-3')]],
  changeSets: ['test/golden/changes/generated-tiny.json'],
  cliPrincipal: 'oskar.silva.5',
  accessService: 'iam',
  wholeAccess: [gen('user/oskar.silva.5'), gen('role/growth-gha-role-14')],
  unused: ['oskar.silva.5', 'jamal.kim.8', 'growth-gha-role-14'],
};

export const generatedCases: Cases = { graphql: accountCases(GENERATED), cli: accountCli(GENERATED) };
