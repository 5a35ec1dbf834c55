/**
 * Checks of what a person types, shared by the GraphQL resolvers (server/api/types) and the CLI commands
 * (server/cli/commands): each returns the problem — a message naming the value, and a hint — or undefined when the
 * value is fine, and each caller reports it its own way (GraphQL `InvalidArgument` with the argument's name, a CLI
 * error with exit 2, a file's diagnostic with its JSON path). Principal references (ARN, name, access key id) are
 * resolved by `principal-ref.ts`.
 */
import { z } from 'zod';

export interface ArgumentProblem {
  message: string;
  hint?: string;
}

/** `service:Action`, or a pattern of one (`s3:Put*`): one colon, no spaces (reference_policies_elements_action). */
const ACTION = /^[^:\s]+:[^:\s]+$/;

export function actionProblem(action: string): ArgumentProblem | undefined {
  if (ACTION.test(action)) return undefined;
  return { message: `\`${action}\` is not \`service:Action\``, hint: 'e.g. s3:GetObject or s3:Put*' };
}

/** An ISO 8601 date-time with a time zone (`2026-01-31T09:00:00Z`, `…+01:00`): what `aws:CurrentTime` takes. */
const DATE_TIME = z.iso.datetime({ offset: true });

export function dateTimeProblem(value: string): ArgumentProblem | undefined {
  if (DATE_TIME.safeParse(value).success) return undefined;
  return {
    message: `\`${value}\` is not an ISO 8601 date-time`,
    hint: 'a date, a time and a zone, e.g. 2026-01-31T09:00:00Z',
  };
}
