import { describe, expect, it } from 'vitest';
import type { ActionAccess, ServiceAccess } from '../api/results.ts';
import { accessTable } from './access-table.ts';

const action = (name: string, conditional = false): ActionAccess => ({
  action: name,
  decision: conditional ? 'CONDITIONAL' : 'ALLOWED',
});

describe('accessTable', () => {
  it('counts actions per level with the conditional ones, broadest service first, empty levels zero', () => {
    const services: ServiceAccess[] = [
      {
        service: 'sns',
        actions: 1,
        levels: [{ level: 'WRITE', conditional: 0, actions: [action('sns:Publish')] }],
      },
      {
        service: 's3',
        actions: 3,
        levels: [
          {
            level: 'READ',
            conditional: 1,
            actions: [action('s3:GetObject', true), action('s3:GetBucketAcl')],
          },
          { level: 'LIST', conditional: 0, actions: [action('s3:ListBucket')] },
        ],
      },
    ];
    const rows = accessTable(services);
    expect(rows.map((r) => r.service)).toEqual(['s3', 'sns']);
    expect(rows[0]!.cells).toEqual({
      LIST: { actions: 1, conditional: 0 },
      READ: { actions: 2, conditional: 1 },
      WRITE: { actions: 0, conditional: 0 },
      PERMISSIONS_MANAGEMENT: { actions: 0, conditional: 0 },
      TAGGING: { actions: 0, conditional: 0 },
    });
    expect(rows[1]).toMatchObject({ total: 1, cells: { WRITE: { actions: 1, conditional: 0 } } });
  });
});
