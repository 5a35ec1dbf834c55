import { describe, expect, it } from 'vitest';
import { isPermissionDenied, networkErrorCode } from './aws-errors.ts';

const nodeError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code });

describe('networkErrorCode', () => {
  it('finds the socket code on the error or in its cause chain', () => {
    expect(networkErrorCode(nodeError('ENETUNREACH'))).toBe('ENETUNREACH');
    expect(networkErrorCode(new Error('wrapped', { cause: nodeError('ENOTFOUND') }))).toBe('ENOTFOUND');
    expect(networkErrorCode(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(
      'ETIMEDOUT',
    );
  });

  it('is undefined for answers AWS gave, however they failed', () => {
    const denied = Object.assign(new Error('not authorized'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(networkErrorCode(denied)).toBeUndefined();
    expect(isPermissionDenied(denied)).toBe(true);
    expect(networkErrorCode(Object.assign(new Error('x'), { code: 'EACCES' }))).toBeUndefined();
    expect(networkErrorCode('ENETUNREACH')).toBeUndefined();
  });
});
