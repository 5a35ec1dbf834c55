/**
 * The `vpc-endpoints/` outputs of an account (bundle/layout.ts VPC_ENDPOINTS) → `snapshot.vpcEndpoints`, each
 * endpoint policy decoded and checked by the engine as a resource-based policy (it names principals).
 */
import { VPC_ENDPOINTS } from '../../bundle/layout.ts';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { VpcEndpoint } from '../../../schema/snapshot.ts';
import { parseShaped } from '../../shared/parse-shaped.ts';
import { checkedPolicyDocument } from '../../shared/policy-document.ts';
import type { AccountSource, AccountState } from '../source.ts';
import { describeVpcEndpointsShape, type DescribeVpcEndpointsOutput } from './vpc-endpoints.shape.ts';

const COMMAND = 'aws ec2 describe-vpc-endpoints --output json';
const FILE = /^vpc-endpoints\/([a-z0-9-]+)\.describe-vpc-endpoints\.json$/;

interface RegionFile {
  file: string;
  region: string;
  output: DescribeVpcEndpointsOutput;
}

export const vpcEndpointsSource: AccountSource<RegionFile[]> = {
  name: 'vpc-endpoint',
  select: (files) => files.filter((f) => f.relative.startsWith(`${VPC_ENDPOINTS.dir}/`)),
  parse(files, limits) {
    const diagnostics: Diagnostic[] = [];
    const parsed: RegionFile[] = [];
    for (const f of files) {
      const region = FILE.exec(f.relative)?.[1];
      if (!region) {
        diagnostics.push({
          severity: 'warning',
          code: 'vpc-endpoint.unknown-file',
          message: `\`${f.path}\` is not \`${VPC_ENDPOINTS.describe('<region>')}\`: ignored`,
          file: f.path,
          hint: `save \`${COMMAND} --region <region>\` as ${VPC_ENDPOINTS.describe('<region>')}`,
        });
        continue;
      }
      const r = parseShaped(f.text, f.path, describeVpcEndpointsShape, 'vpc-endpoint', COMMAND, limits);
      diagnostics.push(...r.diagnostics);
      if (r.value) parsed.push({ file: f.path, region, output: r.value });
    }
    return { parsed, diagnostics };
  },
  normalize(parsed, account) {
    const r = normalizeVpcEndpoints(parsed, account);
    return {
      account: {
        ...account,
        vpcEndpoints: [...(account.vpcEndpoints ?? []), ...r.endpoints],
        sourceFiles: [...account.sourceFiles, ...parsed.map((p) => p.file)],
      },
      diagnostics: r.diagnostics,
    };
  },
};

function normalizeVpcEndpoints(
  files: readonly RegionFile[],
  account: AccountState,
): { endpoints: VpcEndpoint[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, string>();
  const endpoints: VpcEndpoint[] = [];
  for (const { file, region, output } of files)
    output.VpcEndpoints.forEach((e, i) => {
      const jsonPath = `VpcEndpoints[${i}]`;
      const first = byId.get(e.VpcEndpointId);
      if (first !== undefined) {
        diagnostics.push({
          severity: 'warning',
          code: 'vpc-endpoint.duplicate',
          message: `\`${e.VpcEndpointId}\` is listed in \`${first}\` and again here: the first listing is kept`,
          file,
          jsonPath,
          hint: 'keep one describe-vpc-endpoints output per region',
        });
        return;
      }
      byId.set(e.VpcEndpointId, file);
      const owner = e.OwnerId ?? account.accountId;
      let policy: string | undefined;
      if (e.PolicyDocument) {
        const at = `${jsonPath}.PolicyDocument`;
        const checked = checkedPolicyDocument(e.PolicyDocument, 'resource', 'vpc-endpoint', file, at);
        diagnostics.push(...checked.diagnostics);
        if (checked.json === undefined) return;
        policy = checked.json;
      }
      endpoints.push({
        id: e.VpcEndpointId,
        arn: `arn:${account.partition}:ec2:${region}:${owner}:vpc-endpoint/${e.VpcEndpointId}`,
        accountId: owner,
        region,
        vpcId: e.VpcId,
        serviceName: e.ServiceName,
        ...(e.VpcEndpointType ? { type: e.VpcEndpointType } : {}),
        ...(e.State ? { state: e.State } : {}),
        ...(policy !== undefined ? { policy } : {}),
      });
    });
  return { endpoints, diagnostics };
}
