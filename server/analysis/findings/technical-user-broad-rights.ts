/**
 * Technical users (no console password: programs with access keys) should hold a narrow set of rights, so a
 * leaked key does little (the seed article; IAM best practices, "grant least privilege"). Narrow here means:
 * every Allow names its actions (no `*`, no `service:*`, no NotAction), at most MAX_SERVICES services, and no IAM
 * write. Checked on the identity policies the engine parses; needs the credential report to know who has no
 * console.
 */
import { parsePolicy } from '../../engine/index.ts';
import { principalPolicySet } from '../policy-set.ts';
import type { Check, Finding } from './finding.ts';

export const MAX_SERVICES = 3;

function broadness(documents: { id: string; document: string | object }[]): {
  reasons: string[];
  policies: string[];
} {
  const reasons = new Set<string>();
  const policies = new Set<string>();
  const services = new Set<string>();
  for (const d of documents) {
    const { policy } = parsePolicy(d.document, { kind: 'identity' });
    for (const st of policy?.statements ?? []) {
      if (st.effect !== 'Allow') continue;
      const before = reasons.size;
      if (st.notAction) reasons.add('an Allow with NotAction');
      for (const a of st.action ?? []) {
        const [service, name = ''] = a.toLowerCase().split(':');
        services.add(service!);
        if (a === '*' || name === '*') reasons.add(`\`${a}\``);
        else if (service === 'iam' && !/^(get|list)/.test(name)) reasons.add(`IAM write \`${a}\``);
      }
      if (reasons.size > before) policies.add(d.id);
    }
  }
  if (services.size > MAX_SERVICES) reasons.add(`${services.size} services`);
  return { reasons: [...reasons], policies: [...policies].sort() };
}

export const technicalUserBroadRights: Check = ({ snapshot }) =>
  snapshot.users.flatMap((u): Finding[] => {
    if (!u.credentials || u.credentials.passwordEnabled) return [];
    const set = principalPolicySet(snapshot, u.arn);
    if (!set) return [];
    const { reasons, policies } = broadness(set.identity);
    if (reasons.length === 0) return [];
    return [
      {
        kind: 'technical-user-broad-rights',
        severity: 'medium',
        entities: [u.arn, ...policies],
        message: `technical user \`${u.name}\` (no console) holds broad rights: ${reasons.join(', ')}`,
        fix: `replace \`${u.name}\`'s policies with the few actions and resources its program calls (IAM Access Analyzer can generate them from CloudTrail)`,
      },
    ];
  });
