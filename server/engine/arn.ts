/**
 * ARNs as the engine reads them (reference-arns): `arn:partition:service:region:account-id:resource`, six fields
 * split at the first five colons (the resource keeps its own colons and slashes). The code base's one ARN parser:
 * analyses and the API use these rather than splitting on `:` themselves.
 */
import { splitArn } from './conditions/arn.ts';
import { arnAccount } from './evaluate/principal.ts';

export { arnAccount, splitArn };

export interface Arn {
  partition: string;
  service: string;
  region: string;
  /** Empty for ARNs without one (S3 buckets and objects). */
  account: string;
  resource: string;
}

/** The six fields of an ARN; undefined when `arn` does not start with `arn:` or has fewer than six fields. */
export function parseArn(arn: string): Arn | undefined {
  const parts = splitArn(arn);
  if (!parts || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, resource] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { partition, service, region, account, resource };
}

/** The service field of an ARN (`s3`, `iam`), or '' when it is not an ARN. */
export function arnService(arn: string): string {
  return parseArn(arn)?.service ?? '';
}
