import type { Diagnostic } from '../../schema/diagnostics.ts';

/**
 * Bytes of an input file (a bundle's, a plan, a change set) → text. The `aws` CLI writes UTF-8; PowerShell and Windows editors may write UTF-8 with
 * a BOM or UTF-16 with a BOM, which are decoded as such. Anything else that is not valid UTF-8 (Latin-1,
 * Windows-1252, binary) is refused rather than read with replacement characters.
 */
export type DecodedText = { ok: true; text: string } | { ok: false; line: number; message: string };

export function decodeText(bytes: Uint8Array): DecodedText {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  try {
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    // Place the first undecodable sequence: where the lenient decoding put its first replacement character.
    const lenient = new TextDecoder(encoding).decode(bytes);
    const at = lenient.indexOf('\ufffd');
    let line = 1;
    for (let i = 0; i < at; i++) if (lenient.charCodeAt(i) === 10) line++;
    return {
      ok: false,
      line,
      message:
        encoding === 'utf-8'
          ? 'not UTF-8 text (Latin-1, Windows-1252 or binary?)'
          : `invalid ${encoding.toUpperCase()} text after its byte-order mark`,
    };
  }
}

/** `decodeText` for a file read on its own: the refusal as a `<codePrefix>.invalid-encoding` diagnostic. */
export function decodeFileText(
  bytes: Uint8Array,
  file: string,
  codePrefix: string,
): { ok: true; text: string } | { ok: false; diagnostic: Diagnostic } {
  const decoded = decodeText(bytes);
  if (decoded.ok) return decoded;
  return {
    ok: false,
    diagnostic: {
      severity: 'error',
      code: `${codePrefix}.invalid-encoding`,
      message: decoded.message,
      file,
      line: decoded.line,
      hint: 'save the file as UTF-8 (or UTF-16 with a byte-order mark)',
    },
  };
}
