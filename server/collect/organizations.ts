/**
 * AWS Organizations, walked from the roots down: the OU tree, the accounts under each parent, the SCPs and
 * RCPs with their content and targets. Only the management account or a delegated administrator may list
 * an organization; any other caller gets a recorded note and no `organization/` directory, never a
 * partial one the importer would take for the whole organization.
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTargetsForPolicy,
  type PolicyType,
} from '@aws-sdk/client-organizations';
import { ORGANIZATION } from '../../importers/bundle/layout.ts';
import { toCliJson } from './cli-form.ts';
import { describeAwsError, hasCode, isPermissionDenied } from './aws-errors.ts';
import { allPages, CollectError, writeJson, type CollectContext } from './context.ts';

const SECTION = 'organization';
const FILTERS = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const;

export async function collectOrganization(ctx: CollectContext): Promise<void> {
  const org = ctx.clients.organizations;
  let described;
  try {
    described = await org.send(new DescribeOrganizationCommand({}));
  } catch (e) {
    if (hasCode(e, 'AWSOrganizationsNotInUse')) {
      ctx.notes.push({
        severity: 'info',
        section: SECTION,
        code: (e as Error).name,
        message: 'the account is not a member of an organization: no SCPs or RCPs apply',
      });
      return;
    }
    if (isPermissionDenied(e)) return skip(ctx, 'organizations describe-organization', e);
    throw new CollectError('organizations describe-organization', e);
  }

  let roots;
  try {
    roots = await allPages(paginateListRoots({ client: org }, {}), (p) => p.Roots);
  } catch (e) {
    const o = described.Organization;
    if (isPermissionDenied(e))
      return skip(
        ctx,
        'organizations list-roots',
        e,
        `only the management account (${o?.MasterAccountId ?? 'unknown'}) or a delegated administrator can read organization ${o?.Id ?? ''}: SCPs and RCPs that apply to this account are unknown`,
      );
    throw new CollectError('organizations list-roots', e);
  }

  // Denials past this point are not expected (the caller could list the roots); they stop the collect.
  const call = async <T>(name: string, run: () => Promise<T>) => {
    try {
      return await run();
    } catch (e) {
      throw new CollectError(`organizations ${name}`, e);
    }
  };
  await writeJson(ctx, SECTION, ORGANIZATION.describeOrganization, toCliJson(described));
  await writeJson(ctx, SECTION, ORGANIZATION.listRoots, { Roots: toCliJson(roots) });

  const parents = roots.map((r) => r.Id!);
  for (let i = 0; i < parents.length; i++) {
    const ParentId = parents[i]!;
    const ous = await call(`list-organizational-units-for-parent --parent-id ${ParentId}`, () =>
      allPages(
        paginateListOrganizationalUnitsForParent({ client: org }, { ParentId }),
        (p) => p.OrganizationalUnits,
      ),
    );
    await writeJson(ctx, SECTION, ORGANIZATION.ousForParent(ParentId), {
      OrganizationalUnits: toCliJson(ous),
    });
    parents.push(...ous.map((ou) => ou.Id!));
    const accounts = await call(`list-accounts-for-parent --parent-id ${ParentId}`, () =>
      allPages(paginateListAccountsForParent({ client: org }, { ParentId }), (p) => p.Accounts),
    );
    await writeJson(ctx, SECTION, ORGANIZATION.accountsForParent(ParentId), {
      Accounts: toCliJson(accounts),
    });
  }

  for (const Filter of FILTERS) {
    let policies;
    try {
      policies = await allPages(paginateListPolicies({ client: org }, { Filter }), (p) => p.Policies);
    } catch (e) {
      // RCPs are a newer policy type some partitions and organizations do not offer.
      if (hasCode(e, 'PolicyTypeNotEnabled', 'PolicyTypeNotAvailableForOrganization')) {
        ctx.notes.push({
          severity: 'info',
          section: SECTION,
          code: (e as Error).name,
          message: `${Filter} is not enabled in the organization`,
        });
        continue;
      }
      throw new CollectError(`organizations list-policies --filter ${Filter}`, e);
    }
    await writeJson(ctx, SECTION, ORGANIZATION.listPolicies(Filter as PolicyType & typeof Filter), {
      Policies: toCliJson(policies),
    });
    for (const p of policies) {
      const PolicyId = p.Id!;
      const described = await call(`describe-policy --policy-id ${PolicyId}`, () =>
        org.send(new DescribePolicyCommand({ PolicyId })),
      );
      await writeJson(ctx, SECTION, ORGANIZATION.describePolicy(PolicyId), toCliJson(described));
      const targets = await call(`list-targets-for-policy --policy-id ${PolicyId}`, () =>
        allPages(paginateListTargetsForPolicy({ client: org }, { PolicyId }), (pg) => pg.Targets),
      );
      await writeJson(ctx, SECTION, ORGANIZATION.targetsForPolicy(PolicyId), {
        Targets: toCliJson(targets),
      });
    }
  }
}

function skip(ctx: CollectContext, call: string, e: unknown, why?: string): void {
  ctx.notes.push({
    severity: 'warning',
    section: SECTION,
    code: (e as Error).name,
    message: why ? `${call} was denied: ${why}` : `${call} was denied: ${describeAwsError(e)}`,
  });
}
