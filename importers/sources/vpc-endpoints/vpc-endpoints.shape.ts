/**
 * `aws ec2 describe-vpc-endpoints --output json` (API DescribeVpcEndpoints). `PolicyDocument` is the endpoint
 * policy as a JSON string, absent for endpoint types without one. Validation only; fields not read stay open.
 */
import { z } from 'zod';

export const describeVpcEndpointsShape = z.object({
  VpcEndpoints: z.array(
    z.object({
      VpcEndpointId: z.string(),
      VpcEndpointType: z.string().nullish(),
      VpcId: z.string(),
      ServiceName: z.string(),
      State: z.string().nullish(),
      PolicyDocument: z.string().nullish(),
      OwnerId: z.string().nullish(),
    }),
  ),
});

export type DescribeVpcEndpointsOutput = z.infer<typeof describeVpcEndpointsShape>;
