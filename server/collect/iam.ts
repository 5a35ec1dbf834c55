/** IAM: the GAAD pages, the credential report and the password policy. */
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetCredentialReportCommand,
  paginateGetAccountAuthorizationDetails,
} from '@aws-sdk/client-iam';
import { CREDENTIAL_REPORT_JSON, GAAD, PASSWORD_POLICY } from '../../importers/bundle/layout.ts';
import { decodeIamPolicyDocuments, toCliJson } from './cli-form.ts';
import { hasCode } from './aws-errors.ts';
import { CollectError, orDenied, writeJson, type CollectContext } from './context.ts';
import type { IamEntity } from './last-accessed.ts';

/** `authorization-details.json`, `authorization-details-2.json`, …: one file per API page. */
export function gaadPagePath(page: number): string {
  return page === 1 ? GAAD : GAAD.replace(/\.json$/, `-${page}.json`);
}

/**
 * Every page of get-account-authorization-details, each in the CLI's form. Unlike the others this one is
 * required: without it there is no bundle, so a denial fails the collect.
 */
export async function collectGaad(ctx: CollectContext): Promise<IamEntity[]> {
  let page = 0;
  const entities: IamEntity[] = [];
  try {
    for await (const output of paginateGetAccountAuthorizationDetails(
      // 1000 is the API's largest page (MaxItems): fewer calls, less throttling on large accounts.
      { client: ctx.clients.iam, pageSize: 1000 },
      {},
    )) {
      page++;
      for (const u of output.UserDetailList ?? [])
        entities.push({ kind: 'user', arn: u.Arn!, name: u.UserName! });
      for (const g of output.GroupDetailList ?? [])
        entities.push({ kind: 'group', arn: g.Arn!, name: g.GroupName! });
      for (const r of output.RoleDetailList ?? [])
        entities.push({ kind: 'role', arn: r.Arn!, name: r.RoleName! });
      const doc = decodeIamPolicyDocuments(toCliJson(output) as Record<string, unknown>);
      await writeJson(ctx, 'authorization-details', gaadPagePath(page), doc);
    }
  } catch (e) {
    throw new CollectError('iam get-account-authorization-details', e);
  }
  return entities;
}

/** The credential report is generated asynchronously: poll generate-credential-report until COMPLETE. */
export const CREDENTIAL_REPORT_POLL_MS = 2000;
export const CREDENTIAL_REPORT_MAX_POLLS = 60;

export async function collectCredentialReport(ctx: CollectContext): Promise<void> {
  const section = 'credential-report';
  const iam = ctx.clients.iam;
  for (let poll = 0; ; poll++) {
    const generated = await orDenied(ctx, { section, call: 'iam generate-credential-report' }, () =>
      iam.send(new GenerateCredentialReportCommand({})),
    );
    if (!generated) return;
    if (generated.State === 'COMPLETE') break;
    if (poll + 1 >= CREDENTIAL_REPORT_MAX_POLLS) {
      ctx.notes.push({
        severity: 'warning',
        section,
        message: `the credential report was still ${generated.State ?? 'not ready'} after ${CREDENTIAL_REPORT_MAX_POLLS} polls`,
      });
      return;
    }
    await ctx.sleep(CREDENTIAL_REPORT_POLL_MS);
  }
  let report;
  try {
    report = await orDenied(ctx, { section, call: 'iam get-credential-report' }, () =>
      iam.send(new GetCredentialReportCommand({})),
    );
  } catch (e) {
    // Expired or gone between our generate and get (the report ages out after 4 hours): say so.
    const report = ['CredentialReportExpired', 'CredentialReportNotPresent', 'CredentialReportNotReady'];
    if (!(e instanceof CollectError) || !hasCode(e.cause, ...report)) throw e;
    ctx.notes.push({ severity: 'warning', section, code: (e.cause as Error).name, message: e.message });
    return;
  }
  if (!report?.Content) return;
  // The raw `aws iam get-credential-report --output json` (base64 Content) rather than the decoded CSV: it
  // keeps GeneratedTime, which findings measure ages from; from the bare CSV the importer can only take
  // the newest timestamp in it as a lower bound (credential-report.no-generated-time).
  await writeJson(ctx, section, CREDENTIAL_REPORT_JSON, toCliJson(report));
}

/** NoSuchEntity: the account has no password policy (AWS defaults apply), so no file. */
export async function collectPasswordPolicy(ctx: CollectContext): Promise<void> {
  const section = 'password-policy';
  try {
    const out = await orDenied(ctx, { section, call: 'iam get-account-password-policy' }, () =>
      ctx.clients.iam.send(new GetAccountPasswordPolicyCommand({})),
    );
    if (out) await writeJson(ctx, section, PASSWORD_POLICY, toCliJson(out));
  } catch (e) {
    if (!(e instanceof CollectError) || !hasCode(e.cause, 'NoSuchEntity')) throw e;
    ctx.notes.push({
      severity: 'info',
      section,
      code: 'NoSuchEntity',
      message: 'the account has no password policy (AWS defaults apply)',
    });
  }
}
