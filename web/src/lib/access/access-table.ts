/**
 * Effective permissions as the entity panel's table, pure: one row per service, one column per access level
 * (List, Read, Write, Permissions management, Tagging), each cell the number of actions and how many of them
 * are only conditional. Services with the most actions first: the broadest grants are what an auditor reads first.
 */
import type { AccessLevel, ServiceAccess } from '../api/results.ts';

export const LEVEL_COLUMNS: readonly { level: AccessLevel; label: string }[] = [
  { level: 'LIST', label: 'List' },
  { level: 'READ', label: 'Read' },
  { level: 'WRITE', label: 'Write' },
  { level: 'PERMISSIONS_MANAGEMENT', label: 'Perm. mgmt' },
  { level: 'TAGGING', label: 'Tagging' },
];

export interface AccessCell {
  actions: number;
  conditional: number;
}

export interface AccessRow {
  service: string;
  total: number;
  cells: Record<AccessLevel, AccessCell>;
}

export function accessTable(services: readonly ServiceAccess[]): AccessRow[] {
  return services
    .map((s) => {
      const cells = Object.fromEntries(
        LEVEL_COLUMNS.map(({ level }) => [level, { actions: 0, conditional: 0 }]),
      ) as Record<AccessLevel, AccessCell>;
      for (const l of s.levels) {
        cells[l.level].actions += l.actions.length;
        cells[l.level].conditional += l.conditional;
      }
      return { service: s.service, total: s.actions, cells };
    })
    .sort((a, b) => b.total - a.total || a.service.localeCompare(b.service));
}
