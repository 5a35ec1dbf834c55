/** CIS AWS Foundations 1.4: no access key should exist for the root user (id_root-user_manage_add-key). */
import type { Check } from './finding.ts';

export const rootAccessKey: Check = ({ snapshot }) =>
  snapshot.accounts.flatMap((a) => {
    const keys = a.root?.accessKeys ?? [];
    if (keys.length === 0) return [];
    const active = keys.filter((k) => k.active).length;
    return [
      {
        kind: 'root-access-key' as const,
        severity: 'critical' as const,
        entities: [`arn:${snapshot.partition}:iam::${a.id}:root`],
        message: `the root user of \`${a.id}\` has ${keys.length} access key${keys.length > 1 ? 's' : ''} (${active} active): unrestricted, unbounded API access`,
        fix: 'delete the root access keys (console: Security credentials as root) and use IAM roles instead',
      },
    ];
  });
