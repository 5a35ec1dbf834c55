/**
 * The `last-accessed/` files of one account (bundle/layout.ts LAST_ACCESSED) → `LastAccessReport`s keyed to the
 * GAAD's users, groups and roles, as an account source. A file for an entity the GAAD lacks is a warning (its
 * evidence is dropped); entities without a report are one completeness warning, since their usage is unknown,
 * never "unused".
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { LAST_ACCESSED } from '../../bundle/layout.ts';
import type { IamGroup, IamRole, IamUser, LastAccessReport } from '../../../schema/snapshot.ts';
import type { AccountSource } from '../source.ts';
import { entityOfPath, parseLastAccessed, type EntityKind, type ParsedLastAccessed } from './parse.ts';

/** AWS reports activity for the last 400 days (GenerateServiceLastAccessedDetails). */
export const TRACKING_DAYS = 400;
const DAY_MS = 86_400_000;
const MAX_NAMED = 5;

/** One completed job, with the entity its path names. */
interface EntityJob {
  file: string;
  entity: { kind: EntityKind; name: string };
  job: NonNullable<ParsedLastAccessed['job']>;
}

export const lastAccessedSource: AccountSource<EntityJob[]> = {
  name: 'last-accessed',
  select: (files) => files.filter((f) => f.relative.startsWith(`${LAST_ACCESSED.dir}/`)),
  parse(files, limits) {
    const diagnostics: Diagnostic[] = [];
    const parsed: EntityJob[] = [];
    for (const f of files) {
      const entity = entityOfPath(f.relative);
      if (!entity) {
        diagnostics.push({
          severity: 'warning',
          code: 'last-accessed.unknown-file',
          message: `\`${f.path}\` is not \`${LAST_ACCESSED.user('<name>')}\`, \`…/groups/<name>.json\` or \`…/roles/<name>.json\`: ignored`,
          file: f.path,
        });
        continue;
      }
      const r = parseLastAccessed(f.text, f.path, limits);
      diagnostics.push(...r.diagnostics);
      if (r.job) parsed.push({ file: f.path, entity, job: r.job });
    }
    return { parsed, diagnostics };
  },
  normalize(parsed, account) {
    const r = lastAccessReports(parsed, account.iam);
    return {
      account: {
        ...account,
        lastAccess: [...(account.lastAccess ?? []), ...r.reports],
        sourceFiles: [...account.sourceFiles, ...r.sourceFiles],
      },
      diagnostics: r.diagnostics,
    };
  },
};

function lastAccessReports(
  jobs: readonly EntityJob[],
  entities: { users: readonly IamUser[]; groups: readonly IamGroup[]; roles: readonly IamRole[] },
): { reports: LastAccessReport[]; sourceFiles: string[]; diagnostics: Diagnostic[] } {
  const out = {
    reports: [] as LastAccessReport[],
    sourceFiles: [] as string[],
    diagnostics: [] as Diagnostic[],
  };
  const byName: Record<EntityKind, Map<string, IamUser | IamGroup | IamRole>> = {
    user: new Map(entities.users.map((u) => [u.name.toLowerCase(), u])),
    group: new Map(entities.groups.map((g) => [g.name.toLowerCase(), g])),
    role: new Map(entities.roles.map((r) => [r.name.toLowerCase(), r])),
  };
  const seen = new Set<string>();
  for (const { file, entity, job } of jobs) {
    const target = byName[entity.kind].get(entity.name.toLowerCase());
    if (!target) {
      out.diagnostics.push({
        severity: 'warning',
        code: 'last-accessed.unknown-entity',
        message: `no ${entity.kind} \`${entity.name}\` in the authorization details: its last-accessed evidence is ignored`,
        file,
        jsonPath: 'ServicesLastAccessed',
        hint: 'the entity was deleted, renamed, or the files were collected at different times: collect both again',
      });
      continue;
    }
    const completed = Date.parse(job.completedAt);
    const created = target.createDate ? Date.parse(target.createDate) : Number.NEGATIVE_INFINITY;
    const since = Math.max(completed - TRACKING_DAYS * DAY_MS, created);
    out.reports.push({
      entityArn: target.arn,
      granularity: job.granularity,
      jobCreatedAt: job.createdAt,
      jobCompletedAt: job.completedAt,
      trackedSince: new Date(Math.min(since, completed)).toISOString().replace('.000Z', 'Z'),
      services: job.services,
    });
    seen.add(target.arn);
    out.sourceFiles.push(file);
  }
  const missing = [...entities.users, ...entities.roles, ...entities.groups].filter((e) => !seen.has(e.arn));
  if (missing.length > 0)
    out.diagnostics.push({
      severity: 'warning',
      code: 'last-accessed.missing',
      message: `${missing.length} user(s), group(s) or role(s) have no last-accessed report (e.g. ${missing
        .slice(0, MAX_NAMED)
        .map((e) => `\`${e.name}\``)
        .join(', ')}): their usage is unknown`,
      file: LAST_ACCESSED.dir,
      hint: '`accessgraph collect` gathers every entity; or run `aws iam generate-service-last-accessed-details` for each',
    });
  out.reports.sort((a, b) => (a.entityArn < b.entityArn ? -1 : a.entityArn > b.entityArn ? 1 : 0));
  return out;
}
