import { DomainError } from './errors.ts';

export interface Cursor {
  id: string;
  /** The sort key's value at the last row, when sorting by something other than _id. */
  value?: string | number | null;
}

/** Opaque cursors: base64url JSON, validated on the way back in so a forged cursor is a 400, not a query. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    const { id, value } = parsed as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[a-f0-9]{24}$/.test(id)) throw new Error('bad id');
    if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') throw new Error('bad value');
    return { id, value: value as Cursor['value'] };
  } catch {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not valid', [{ path: '/querystring/cursor', message: 'not a cursor from this API' }]);
  }
}
