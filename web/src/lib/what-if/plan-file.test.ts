import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodePlanBytes } from './plan-file.ts';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../../test/fixtures/terraform-plans/${name}`, import.meta.url)));

describe('decodePlanBytes', () => {
  it('reads a UTF-16 plan written by PowerShell as the same JSON as its UTF-8 form', () => {
    const bytes = fixture('checkov-utf16-role-policy.json');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const text = decodePlanBytes(bytes);
    expect(JSON.parse(text).format_version).toMatch(/^\d/);
  });

  it('drops a UTF-8 byte order mark and keeps other text as it is', () => {
    const plain = '{"format_version":"1.2","resource_changes":[]}';
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(plain)]);
    expect(decodePlanBytes(withBom)).toBe(plain);
    expect(decodePlanBytes(new TextEncoder().encode('é ' + plain))).toBe('é ' + plain);
  });

  it('reads big-endian UTF-16 too', () => {
    const be = new Uint8Array([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]);
    expect(decodePlanBytes(be)).toBe('{}');
  });
});
