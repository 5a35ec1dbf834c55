/**
 * `aws iam get-service-last-accessed-details --job-id <id> --output json` (API GetServiceLastAccessedDetails,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetServiceLastAccessedDetails.html): the job's status and
 * dates, and per service (ServiceLastAccessed) the last authenticated attempt; action-level jobs add
 * TrackedActionsLastAccessed (TrackedActionLastAccessed). Dates are null or absent when nothing was used within the
 * tracking period; JobCompletionDate is null while the job is IN_PROGRESS.
 */
import { z } from 'zod';

const optionalString = z.string().nullish();

export const trackedActionShape = z.object({
  ActionName: optionalString,
  LastAccessedEntity: optionalString,
  LastAccessedRegion: optionalString,
  LastAccessedTime: optionalString,
});

export const serviceLastAccessedShape = z.object({
  ServiceName: z.string(),
  ServiceNamespace: z.string().min(1),
  LastAuthenticated: optionalString,
  LastAuthenticatedEntity: optionalString,
  LastAuthenticatedRegion: optionalString,
  TotalAuthenticatedEntities: z.number().int().nullish(),
  TrackedActionsLastAccessed: z.array(trackedActionShape).nullish(),
});

export const lastAccessedShape = z.object({
  JobStatus: z.enum(['IN_PROGRESS', 'COMPLETED', 'FAILED']),
  JobType: z.enum(['SERVICE_LEVEL', 'ACTION_LEVEL']).nullish(),
  JobCreationDate: z.string(),
  JobCompletionDate: optionalString,
  ServicesLastAccessed: z.array(serviceLastAccessedShape).nullish(),
  IsTruncated: z.boolean().nullish(),
  Marker: optionalString,
  Error: z.object({ Message: optionalString, Code: optionalString }).nullish(),
});

export type LastAccessedOutput = z.infer<typeof lastAccessedShape>;
