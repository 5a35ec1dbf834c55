/**
 * Comparing the versions a stored snapshot was built with (`SnapshotSource.versions`) against an import's: the
 * store's reuse check and the importer's share it. Apart from the store so that comparing loads no LMDB.
 */

/** Whether two `SnapshotSource.versions` name the same versions (a missing record matches nothing). */
export function sameVersions(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const keys = Object.keys(a ?? {});
  return (
    a !== undefined &&
    b !== undefined &&
    keys.length === Object.keys(b).length &&
    keys.every((k) => a[k] === b[k])
  );
}
