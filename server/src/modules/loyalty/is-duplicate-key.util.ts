/** True for MongoDB's duplicate key error (code 11000), which our unique indexes use to refuse a second write. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
