import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed'] as const;

export const auditEntrySchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actorId: { type: Schema.Types.ObjectId },
    actorEmail: { type: String },
    actorRole: { type: String },
    action: { type: String, required: true },
    outcome: { type: String, enum: AUDIT_OUTCOMES, required: true },
    targetType: { type: String },
    targetId: { type: String },
    before: { type: Schema.Types.Mixed },
    after: { type: Schema.Types.Mixed },
    detail: { type: String },
    ip: { type: String },
    requestId: { type: String },
  },
  { collection: 'audit_log', versionKey: false },
);
auditEntrySchema.index({ at: -1, _id: -1 });
auditEntrySchema.index({ actorId: 1, at: -1 });

export type AuditEntry = InferSchemaType<typeof auditEntrySchema>;
export const createAuditModel = (db: Connection) => db.model('AuditEntry', auditEntrySchema);
