/**
 * `vpc-endpoints/<region>.describe-vpc-endpoints.json` → snapshot.vpcEndpoints. The output's form follows the
 * AWS CLI reference for `aws ec2 describe-vpc-endpoints` (PolicyDocument a JSON string; pretty-printed text too):
 * https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-vpc-endpoints.html
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importBundle } from '../../index.ts';
import { ONE_USER_GAAD } from '../../../test/support/builders.ts';

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const GAAD = ONE_USER_GAAD;

const onlyOurBucket = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' },
  ],
});

async function importWith(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(tmpdir(), 'vpc-endpoints-'));
  temps.push(dir);
  await writeFile(path.join(dir, 'authorization-details.json'), JSON.stringify(GAAD));
  await mkdir(path.join(dir, 'vpc-endpoints'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return importBundle([dir]);
}

const output = (...endpoints: object[]) => JSON.stringify({ VpcEndpoints: endpoints }, null, 4);
const gateway = {
  VpcEndpointId: 'vpce-0a1b2c3d',
  VpcEndpointType: 'Gateway',
  VpcId: 'vpc-11112222',
  ServiceName: 'com.amazonaws.eu-west-1.s3',
  State: 'available',
  PolicyDocument: onlyOurBucket,
  RouteTableIds: ['rtb-0f0f0f0f'],
  OwnerId: '111122223333',
};

describe('VPC endpoints (aws ec2 describe-vpc-endpoints)', () => {
  it('maps each endpoint with its decoded policy, region from the file name', async () => {
    const interfaceEndpoint = {
      VpcEndpointId: 'vpce-0e0e0e0e0e0e0e0e0',
      VpcEndpointType: 'Interface',
      VpcId: 'vpc-11112222',
      ServiceName: 'com.amazonaws.eu-west-1.sqs',
      State: 'available',
      // Pretty-printed, without a Version: AWS stores it as written.
      PolicyDocument:
        '{\n  "Statement": [\n    {"Action": "*", "Effect": "Allow", "Principal": "*", "Resource": "*"}\n  ]\n}',
      SubnetIds: ['subnet-aaaa1111'],
    };
    const r = await importWith({
      'vpc-endpoints/eu-west-1.describe-vpc-endpoints.json': output(gateway, interfaceEndpoint),
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.snapshot!.vpcEndpoints).toEqual([
      {
        id: 'vpce-0a1b2c3d',
        arn: 'arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint/vpce-0a1b2c3d',
        accountId: '111122223333',
        region: 'eu-west-1',
        vpcId: 'vpc-11112222',
        serviceName: 'com.amazonaws.eu-west-1.s3',
        type: 'Gateway',
        state: 'available',
        policy: onlyOurBucket,
      },
      {
        id: 'vpce-0e0e0e0e0e0e0e0e0',
        arn: 'arn:aws:ec2:eu-west-1:111122223333:vpc-endpoint/vpce-0e0e0e0e0e0e0e0e0',
        accountId: '111122223333',
        region: 'eu-west-1',
        vpcId: 'vpc-11112222',
        serviceName: 'com.amazonaws.eu-west-1.sqs',
        type: 'Interface',
        state: 'available',
        policy: JSON.stringify({
          Statement: [{ Action: '*', Effect: 'Allow', Principal: '*', Resource: '*' }],
        }),
      },
    ]);
    expect(r.snapshot!.sourceFiles).toContain('vpc-endpoints/eu-west-1.describe-vpc-endpoints.json');
  });

  it('a bundle without vpc-endpoints/ has no vpcEndpoints field', async () => {
    const r = await importWith({});
    expect(r.snapshot!.vpcEndpoints).toBeUndefined();
  });

  it('a PolicyDocument that is not JSON is an error naming the file and JSON path', async () => {
    const r = await importWith({
      'vpc-endpoints/eu-west-1.describe-vpc-endpoints.json': output({
        ...gateway,
        PolicyDocument: '{"Statement": [',
      }),
    });
    expect(r.snapshot).toBeUndefined();
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'vpc-endpoint.undecodable-document',
        file: 'vpc-endpoints/eu-west-1.describe-vpc-endpoints.json',
        jsonPath: 'VpcEndpoints[0].PolicyDocument',
      }),
    );
  });

  it('a policy without Principal is refused as an endpoint policy (it is resource-based)', async () => {
    const noPrincipal = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const r = await importWith({
      'vpc-endpoints/eu-west-1.describe-vpc-endpoints.json': output({
        ...gateway,
        PolicyDocument: noPrincipal,
      }),
    });
    const d = r.diagnostics.find((x) => x.severity === 'error');
    expect(d).toMatchObject({ file: 'vpc-endpoints/eu-west-1.describe-vpc-endpoints.json' });
    expect(d!.jsonPath).toMatch(/^VpcEndpoints\[0\]\.PolicyDocument\.Statement\[0\]/);
  });

  it('a missing field is an error with its JSON path; another file name is ignored with a warning', async () => {
    const { VpcId: _omitted, ...noVpc } = gateway;
    const r = await importWith({
      'vpc-endpoints/eu-west-1.describe-vpc-endpoints.json': output(noVpc),
      'vpc-endpoints/notes.json': '{}',
    });
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'vpc-endpoint.missing-field', jsonPath: 'VpcEndpoints[0].VpcId' }),
    );
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        code: 'vpc-endpoint.unknown-file',
        file: 'vpc-endpoints/notes.json',
      }),
    );
  });

  it('an endpoint listed in two region files is kept once, with a warning', async () => {
    const r = await importWith({
      'vpc-endpoints/eu-west-1.describe-vpc-endpoints.json': output(gateway),
      'vpc-endpoints/eu-west-2.describe-vpc-endpoints.json': output(gateway),
    });
    expect(r.snapshot!.vpcEndpoints!.map((e) => e.region)).toEqual(['eu-west-1']);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'warning', code: 'vpc-endpoint.duplicate' }),
    );
  });
});
