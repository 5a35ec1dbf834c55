/** The bundled demo account (examples/demo), imported through the real importer, and the ARNs tests use. */
import { fileURLToPath } from 'node:url';
import { importBundle } from '../../importers/index.ts';
import type { AccountSnapshot } from '../../schema/snapshot.ts';

export const DEMO_DIR = fileURLToPath(new URL('../../examples/demo', import.meta.url));
const iam = (rest: string): string => `arn:aws:iam::111122223333:${rest}`;

export const demo = {
  alice: iam('user/alice'),
  bob: iam('user/bob'),
  elena: iam('user/elena'),
  dave: iam('user/dave'),
  carol: iam('user/carol'),
  svcNotifier: iam('user/service-accounts/svc-notifier'),
  engineering: iam('group/Engineering'),
  qa: iam('group/QA'),
  lambdaRole: iam('role/lambda-order-processor'),
  partnerAuditor: iam('role/partner-auditor'),
  reportsReadOnly: iam('policy/ReportsReadOnly'),
  s3Full: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
  powerUser: 'arn:aws:iam::aws:policy/PowerUserAccess',
};

export async function importDemo(): Promise<AccountSnapshot> {
  const result = await importBundle([DEMO_DIR], { label: 'Example Corp' });
  // INVARIANT: the demo imports cleanly (importers/demo.test.ts holds it to that).
  if (!result.snapshot) throw new Error(`demo bundle did not import: ${JSON.stringify(result.diagnostics)}`);
  return result.snapshot;
}
