/**
 * A dropped plan file's text for `planChanges`: UTF-16 when it starts with that byte order mark (PowerShell's `>`
 * writes it), UTF-8 otherwise. Everything else about the file (JSON, CI log lines, the format) the server reads.
 * The importers choose the encoding by the same byte-order marks (importers/shared/decode-text.ts), which the web
 * may not import (docs/architecture.md): the text goes to the server as UTF-8, where that decoder reads it again.
 */
export function decodePlanBytes(bytes: Uint8Array): string {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  return new TextDecoder(encoding).decode(bytes);
}
