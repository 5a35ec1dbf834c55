/**
 * KMS (kms/latest/developerguide/key-policies): "Every KMS key must have exactly one key policy … Unless the key
 * policy explicitly allows it, you cannot use IAM policies to allow access to a KMS key." IAM policies count only
 * when the key policy allows the account (`"Principal": {"AWS": "arn:aws:iam::111122223333:root"}`) — which the
 * resource layer reports as an `account` principal match, so decide.ts needs only to know the key policy is
 * required, even within one account.
 */
export function isKmsRequest(serviceLower: string): boolean {
  return serviceLower === 'kms';
}
