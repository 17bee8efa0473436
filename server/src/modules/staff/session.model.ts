import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { ROLES } from './permissions.ts';

/** A login. The token itself is never stored, only its SHA-256; the staff snapshot spares a lookup per request. */
export const sessionSchema = new Schema(
  {
    tokenHash: { type: String, required: true },
    staffId: { type: Schema.Types.ObjectId, required: true },
    email: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    ip: { type: String },
    userAgent: { type: String },
  },
  { timestamps: true, collection: 'sessions' },
);
sessionSchema.index({ tokenHash: 1 }, { unique: true });
sessionSchema.index({ staffId: 1 });
// Real MongoDB removes expired sessions; the stand-in keeps them, and lookups check expiresAt anyway.
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type Session = InferSchemaType<typeof sessionSchema>;
export const createSessionModel = (db: Connection) => db.model('Session', sessionSchema);
export type SessionModel = ReturnType<typeof createSessionModel>;
