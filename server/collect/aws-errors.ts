/**
 * How the collector reads an AWS error: by the error code the SDK puts in `name` (services spell permission
 * denied in several ways) and the HTTP status, never by message text.
 */

interface AwsError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number };
}

function asAwsError(e: unknown): AwsError | undefined {
  return e instanceof Error ? (e as AwsError) : undefined;
}

/** Codes seen for "you may not call this": IAM/Organizations/KMS/Lambda/ECR, SNS, EC2-style, STS. */
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AuthorizationError',
  'AuthorizationErrorException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AccessDeniedForDependencyException',
]);

/**
 * Credentials valid but not here: a region not enabled for the account answers with these. Counted as a
 * permission problem of that region, not a failure of the whole collect.
 */
const REGION_NOT_ENABLED = new Set(['UnrecognizedClientException', 'InvalidClientTokenId']);

export function isPermissionDenied(e: unknown): boolean {
  const err = asAwsError(e);
  if (!err) return false;
  return DENIED.has(err.name) || REGION_NOT_ENABLED.has(err.name) || err.$metadata?.httpStatusCode === 403;
}

/** True when the error's code is one of `codes` (e.g. `NoSuchEntity`, `NoSuchBucketPolicy`). */
export function hasCode(e: unknown, ...codes: string[]): boolean {
  const err = asAwsError(e);
  return err !== undefined && codes.some((c) => err.name === c || err.name === `${c}Exception`);
}

/** Node's codes for "AWS could not be reached at all": no route, no DNS, refused, timed out, reset. */
const NETWORK = new Set([
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

/**
 * The network code behind an error, when the request never got an answer from AWS (the SDK passes Node's
 * socket errors through, sometimes as the `cause` of its own error); undefined for errors AWS answered.
 */
export function networkErrorCode(e: unknown): string | undefined {
  for (let err: unknown = e, depth = 0; err instanceof Error && depth < 4; err = err.cause, depth++) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && NETWORK.has(code)) return code;
    if (err.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return undefined;
}

/** `AccessDenied: User … is not authorized to perform: s3:GetBucketPolicy …` */
export function describeAwsError(e: unknown): string {
  const err = asAwsError(e);
  if (!err) return String(e);
  return `${err.name}: ${err.message}`;
}
