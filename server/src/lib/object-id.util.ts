import { Types } from 'mongoose';

/** An ObjectId from a 24-hex string (or an ObjectId); null for anything else, so bad ids never reach a query. */
export function toObjectId(value: string | Types.ObjectId): Types.ObjectId | null {
  if (value instanceof Types.ObjectId) return value;
  return /^[a-f0-9]{24}$/i.test(value) ? new Types.ObjectId(value) : null;
}
