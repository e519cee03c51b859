/** Opaque keyset cursors: base64url of the sort key, so clients cannot depend on its shape. */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/** Returns undefined for anything that is not a cursor this code produced. */
export function decodeCursor(cursor: string | undefined): (string | number)[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.every((p) => typeof p === 'string' || typeof p === 'number')) return parts;
  } catch {
    // fall through: a malformed cursor is reported by the caller
  }
  return undefined;
}
