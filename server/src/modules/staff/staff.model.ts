import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { ROLES } from './permissions.ts';

export const staffSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true },
    name: { type: String, required: true, trim: true },
    role: { type: String, enum: ROLES, required: true },
    passwordHash: { type: String, required: true },
    disabled: { type: Boolean, default: false },
    failedLoginCount: { type: Number, default: 0 },
    lockedUntil: { type: Date },
    lastLoginAt: { type: Date },
  },
  { timestamps: true, collection: 'staff' },
);
staffSchema.index({ email: 1 }, { unique: true });
staffSchema.index({ role: 1 });

export type Staff = InferSchemaType<typeof staffSchema>;
export const createStaffModel = (db: Connection) => db.model('Staff', staffSchema);
export type StaffModel = ReturnType<typeof createStaffModel>;
