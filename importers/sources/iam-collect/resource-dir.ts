/**
 * iam-collect stores each resource as a directory of JSON files, one per field (`metadata.json` with the ARN,
 * `policy.json`, `inline-policies.json`, …). This groups a tree's files by resource directory and reads fields.
 */
import type { z } from 'zod';
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import { readIamCollectFile } from './read-file.ts';

/** `<…>/accounts/<account>/<resource dir>/<field>.json` */
const RESOURCE_FILE = /^((?:.*\/)?accounts\/(\d{12}))\/(.+)\/([^/]+)\.json$/;

export interface ResourceDir {
  /** The account directory it sits under (its ARN may name no account, e.g. S3, or `aws`). */
  account: string;
  accountPath: string;
  dir: string;
  fields: Map<string, BundleFile>;
}

/** One resource, its ARN read: what the IAM and resource-policy conversions work from. */
export interface Resource {
  dir: ResourceDir;
  metadataFile: BundleFile;
  metadata: { arn: string } & Record<string, unknown>;
  service: string;
  region: string;
  /** The ARN's resource part, e.g. `user/ops/bob`, `key/1234…`, `function:deploy-hook`, the bucket name. */
  resource: string;
  /** A field file read and validated (undefined when absent or invalid; invalid adds a diagnostic). */
  field<T>(name: string, shape: z.ZodType<T>): T | undefined;
  diagnostics: Diagnostic[];
}

/** `<resource dir>/<field>.json`, for a tree rooted at one account's directory. */
const RESOURCE_FILE_IN_ACCOUNT = /^()()(.+)\/([^/]+)\.json$/;

/** The account of a bundle rooted at `…/accounts/<account>` (the user named one account's directory). */
export function accountOfRoot(root: string): string | undefined {
  return /(?:^|[\\/])accounts[\\/](\d{12})[\\/]?$/.exec(root)?.[1];
}

/** `rootAccount`: the tree is one account's directory, its files have no `accounts/<id>/` prefix. */
export function groupResourceDirs(files: readonly BundleFile[], rootAccount?: string): ResourceDir[] {
  const dirs = new Map<string, ResourceDir>();
  for (const f of files) {
    const m = (rootAccount ? RESOURCE_FILE_IN_ACCOUNT : RESOURCE_FILE).exec(f.path);
    if (!m) continue;
    const [, accountPath, pathAccount, rest, field] = m;
    const account = rootAccount ?? pathAccount;
    const dir = accountPath ? `${accountPath}/${rest}` : rest!;
    let d = dirs.get(dir);
    if (!d)
      dirs.set(dir, (d = { account: account!, accountPath: accountPath ?? '', dir, fields: new Map() }));
    d.fields.set(field!, f);
  }
  return [...dirs.values()].sort((a, b) => (a.dir < b.dir ? -1 : 1));
}

/** A field every resource of its kind has; absent means an interrupted iam-collect run. */
export function missingFile(d: ResourceDir, name: string, what: string): Diagnostic {
  return {
    severity: 'error',
    code: 'iam-collect.missing-file',
    message: `\`${d.dir}\` has no \`${name}\`: ${what}`,
    file: d.fields.get('metadata')!.path,
    hint: 'was the iam-collect run interrupted? run it again for this account',
  };
}

export function fieldReader(d: ResourceDir, diagnostics: Diagnostic[]) {
  return <T>(name: string, shape: z.ZodType<T>) => readIamCollectFile(d.fields.get(name), shape, diagnostics);
}
