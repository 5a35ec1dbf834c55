/**
 * Write a synthetic account bundle to disk:
 *   tsx bench/generate/cli.ts --preset large --seed 1 --out .tmp/large
 *   tsx bench/generate/cli.ts --users 5000 --groups 300 --roles 5000 --policies 2000 --buckets 500 --out dir
 * Explicit counts override the preset's.
 */
import { Command, InvalidArgumentError } from 'commander';
import { generateAccount, writeAccount, PRESETS, type PresetName } from './generate-account.ts';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

const program = new Command()
  .name('generate-account')
  .description('Generate a deterministic synthetic AWS account in the AWS CLI output formats')
  .requiredOption('--out <dir>', 'directory to write the bundle into')
  .option('--preset <name>', 'tiny | small | large', 'small')
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
}>();

if (!(opts.preset in PRESETS)) {
  console.error(`unknown preset \`${opts.preset}\`: expected one of ${Object.keys(PRESETS).join(', ')}`);
  process.exit(2);
}
if (!/^\d{12}$/.test(opts.accountId)) {
  console.error(`\`--account-id\` must be 12 digits, got \`${opts.accountId}\``);
  process.exit(2);
}
const preset = PRESETS[opts.preset as PresetName];
const started = performance.now();
const account = await generateAccount({
  users: opts.users ?? preset.users,
  groups: opts.groups ?? preset.groups,
  roles: opts.roles ?? preset.roles,
  managedPolicies: opts.policies ?? preset.managedPolicies,
  buckets: opts.buckets ?? preset.buckets,
  seed: opts.seed,
  accountId: opts.accountId,
});
await writeAccount(account, opts.out);
const s = account.summary;
console.log(
  `wrote ${account.files.length} files to ${opts.out} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `${s.users} users, ${s.groups} groups, ${s.roles} roles, ${s.customerManagedPolicies} customer + ${s.awsManagedPolicies} AWS managed policies, ` +
    `${s.buckets} buckets with a policy + ${s.resources.bucketsWithoutPolicy} without, ${s.resources.topics} each of topics, queues, keys, secrets, functions, repositories; ` +
    `an organization of ${s.organization.accounts} accounts with ${s.organization.scps} SCPs and ${s.organization.rcps} RCPs; GAAD ${(account.gaadBytes / 1e6).toFixed(1)} MB`,
);
