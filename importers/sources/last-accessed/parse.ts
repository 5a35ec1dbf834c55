/**
 * A `last-accessed/<users|groups|roles>/<name>.json` file → the entity it is for and the validated job output, or
 * diagnostics with file and JSON path. A job that is not COMPLETED holds no evidence: a warning, the file skipped.
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import { normalizeAwsDate } from '../../shared/dates.ts';
import { parseShaped } from '../../shared/parse-shaped.ts';
import type { JsonLimits } from '../../shared/json-text.ts';
import type { ActionLastAccess, ServiceLastAccess } from '../../../schema/snapshot.ts';
import { lastAccessedShape } from './last-accessed.shape.ts';

const COMMAND = 'aws iam get-service-last-accessed-details --job-id <id>';
/** `LAST_ACCESSED` paths (layout.ts). */
const FILE = /^last-accessed\/(users|groups|roles)\/([^/]+)\.json$/;
const KIND = { users: 'user', groups: 'group', roles: 'role' } as const;

export type EntityKind = (typeof KIND)[keyof typeof KIND];

/** The entity a file under `last-accessed/` is for, or undefined when the path is not one of the layout's. */
export function entityOfPath(relative: string): { kind: EntityKind; name: string } | undefined {
  const m = FILE.exec(relative);
  return m ? { kind: KIND[m[1] as keyof typeof KIND], name: m[2]! } : undefined;
}

export interface ParsedLastAccessed {
  /** Present for a COMPLETED job whose fields are all valid. */
  job?: {
    granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL';
    createdAt: string;
    completedAt: string;
    services: ServiceLastAccess[];
  };
  diagnostics: Diagnostic[];
}

export function parseLastAccessed(text: string, file: string, limits?: JsonLimits): ParsedLastAccessed {
  const shaped = parseShaped(text, file, lastAccessedShape, 'last-accessed', COMMAND, limits);
  const out = shaped.value;
  if (!out) return { diagnostics: shaped.diagnostics };
  const diagnostics: Diagnostic[] = [];
  if (out.JobStatus !== 'COMPLETED') {
    const why = out.Error?.Message ? `: ${out.Error.Message}` : '';
    diagnostics.push({
      severity: 'warning',
      code: 'last-accessed.job-not-completed',
      message: `the job is ${out.JobStatus}${why}; this entity's usage stays unknown`,
      file,
      jsonPath: 'JobStatus',
      hint:
        out.JobStatus === 'IN_PROGRESS'
          ? `run \`${COMMAND}\` again once the job has completed`
          : 'start a new job with `aws iam generate-service-last-accessed-details --arn <arn>`',
    });
    return { diagnostics };
  }
  const date = (value: string | null | undefined, jsonPath: string): string | undefined => {
    if (value === null || value === undefined) return undefined;
    const iso = normalizeAwsDate(value);
    if (iso === undefined)
      diagnostics.push({
        severity: 'error',
        code: 'last-accessed.invalid-date',
        message: `\`${value}\` is not an ISO-8601 date`,
        file,
        jsonPath,
      });
    return iso;
  };
  const createdAt = date(out.JobCreationDate, 'JobCreationDate');
  const completedAt = date(out.JobCompletionDate, 'JobCompletionDate');
  if (out.JobCompletionDate === null || out.JobCompletionDate === undefined)
    diagnostics.push({
      severity: 'error',
      code: 'last-accessed.missing-field',
      message: 'a COMPLETED job without `JobCompletionDate`: the end of its tracking period is unknown',
      file,
      jsonPath: 'JobCompletionDate',
      hint: `is this the output of \`${COMMAND}\`?`,
    });
  if (out.IsTruncated === true)
    diagnostics.push({
      severity: 'warning',
      code: 'last-accessed.truncated',
      message: 'the output is one page of several (`IsTruncated`): services on the other pages stay unknown',
      file,
      jsonPath: 'IsTruncated',
      hint: 'let the `aws` CLI paginate (do not pass `--max-items`), or join the pages',
    });
  const services = (out.ServicesLastAccessed ?? []).map((s, i): ServiceLastAccess => {
    const at = `ServicesLastAccessed[${i}]`;
    const service = s.ServiceNamespace.toLowerCase();
    const last = date(s.LastAuthenticated, `${at}.LastAuthenticated`);
    const tracked = s.TrackedActionsLastAccessed?.flatMap((a, k): ActionLastAccess[] => {
      if (!a.ActionName) return [];
      const when = date(a.LastAccessedTime, `${at}.TrackedActionsLastAccessed[${k}].LastAccessedTime`);
      return [
        {
          action: `${service}:${a.ActionName}`,
          ...(when ? { lastAccessed: when } : {}),
          ...(a.LastAccessedEntity ? { lastAccessedEntity: a.LastAccessedEntity } : {}),
          ...(a.LastAccessedRegion ? { lastAccessedRegion: a.LastAccessedRegion } : {}),
        },
      ];
    });
    return {
      service,
      name: s.ServiceName,
      ...(last ? { lastAuthenticated: last } : {}),
      ...(s.LastAuthenticatedEntity ? { lastAuthenticatedEntity: s.LastAuthenticatedEntity } : {}),
      ...(s.LastAuthenticatedRegion ? { lastAuthenticatedRegion: s.LastAuthenticatedRegion } : {}),
      ...(typeof s.TotalAuthenticatedEntities === 'number'
        ? { totalAuthenticatedEntities: s.TotalAuthenticatedEntities }
        : {}),
      ...(tracked && tracked.length > 0 ? { trackedActions: tracked } : {}),
    };
  });
  if (diagnostics.some((d) => d.severity === 'error') || !createdAt || !completedAt) return { diagnostics };
  return {
    job: { granularity: out.JobType ?? 'SERVICE_LEVEL', createdAt, completedAt, services },
    diagnostics,
  };
}
