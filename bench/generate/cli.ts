/**
 * Write a synthetic account bundle to disk:
 *   tsx bench/generate/cli.ts --preset large --seed 1 --out .tmp/large
 *   tsx bench/generate/cli.ts --users 5000 --groups 300 --roles 5000 --policies 2000 --buckets 500 --out dir
 *   tsx bench/generate/cli.ts --broad-iam 8000 --out dir                # broad-IAM shape, 4,000 users + 4,000 roles
 *   tsx bench/generate/cli.ts --broad-iam 2000 --accounts 10 --out dir  # an organization of 10 such accounts
 * Explicit counts override the preset's.
 */
import { Command, InvalidArgumentError } from 'commander';
import { loadCatalog } from './catalog.ts';
import { broadIamSize, generateAccount, writeAccount, PRESETS, type PresetName } from './generate-account.ts';
import { generateOrganization } from './generate-organization.ts';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

const program = new Command()
  .name('generate-account')
  .description('Generate a deterministic synthetic AWS account in the AWS CLI output formats')
  .requiredOption('--out <dir>', 'directory to write the bundle into')
  .option('--preset <name>', Object.keys(PRESETS).join(' | '), 'small')
  .option(
    '--broad-iam <principals>',
    'broad-IAM shape with this many users + roles (overrides --preset)',
    count,
  )
  .option('--accounts <n>', 'an organization of n member accounts of the --broad-iam size (2 or more)', count)
  .option('--seed <seed>', 'PRNG seed (same seed, same bytes)', '1')
  .option('--users <n>', 'IAM users', count)
  .option('--groups <n>', 'IAM groups', count)
  .option('--roles <n>', 'IAM roles', count)
  .option('--policies <n>', 'customer managed policies', count)
  .option('--buckets <n>', 'S3 buckets with bucket policies', count)
  .option('--account-id <id>', '12-digit account id', '111122223333');

program.parse();
const opts = program.opts<{
  out: string;
  preset: string;
  seed: string;
  users?: number;
  groups?: number;
  roles?: number;
  policies?: number;
  buckets?: number;
  accountId: string;
  broadIam?: number;
  accounts?: number;
}>();

if (!(opts.preset in PRESETS)) {
  console.error(`unknown preset \`${opts.preset}\`: expected one of ${Object.keys(PRESETS).join(', ')}`);
  process.exit(2);
}
if (!/^\d{12}$/.test(opts.accountId)) {
  console.error(`\`--account-id\` must be 12 digits, got \`${opts.accountId}\``);
  process.exit(2);
}
const preset = opts.broadIam !== undefined ? broadIamSize(opts.broadIam) : PRESETS[opts.preset as PresetName];
const started = performance.now();
if (opts.accounts !== undefined) {
  if (opts.accounts < 2 || opts.broadIam === undefined) {
    console.error('`--accounts` needs 2 or more accounts and `--broad-iam <principals per account>`');
    process.exit(2);
  }
  const s = await generateOrganization(
    await loadCatalog(),
    { accounts: opts.accounts, principals: opts.broadIam, seed: opts.seed },
    (files) => writeAccount({ files }, opts.out),
  );
  console.log(
    `wrote ${s.files} files to ${opts.out} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `organization ${s.orgId} of ${s.accountIds.length} accounts, ${s.principals} users and roles, ${s.admins} admins`,
  );
  process.exit(0);
}
const account = await generateAccount({
  users: opts.users ?? preset.users,
  groups: opts.groups ?? preset.groups,
  roles: opts.roles ?? preset.roles,
  managedPolicies: opts.policies ?? preset.managedPolicies,
  buckets: opts.buckets ?? preset.buckets,
  ...(preset.shape ? { shape: preset.shape } : {}),
  ...(preset.selfServiceGroup ? { selfServiceGroup: true } : {}),
  seed: opts.seed,
  accountId: opts.accountId,
});
await writeAccount(account, opts.out);
const s = account.summary;
console.log(
  `wrote ${account.files.length} files to ${opts.out} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `${s.users} users, ${s.groups} groups, ${s.roles} roles, ${s.customerManagedPolicies} customer + ${s.awsManagedPolicies} AWS managed policies, ` +
    `${s.buckets} buckets with a policy + ${s.resources.bucketsWithoutPolicy} without, ${s.resources.topics} each of topics, queues, keys, secrets, functions, repositories; ` +
    (s.organization
      ? `an organization of ${s.organization.accounts} accounts with ${s.organization.scps} SCPs and ${s.organization.rcps} RCPs; `
      : '') +
    `${s.admins.length} admins; GAAD ${(account.gaadBytes / 1e6).toFixed(1)} MB`,
);
