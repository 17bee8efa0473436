import { Schema, type Connection, type InferSchemaType } from 'mongoose';

export const checkinSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    /** The brand-local calendar day, YYYY-MM-DD, computed by the server: never taken from the client's clock. */
    day: { type: String, required: true },
    /**
     * The streak ending on this day when it was recorded. A later make-up can only lengthen the true streak, so
     * this is a lower bound: walking back jumps `streak` days at a time and continues from there.
     */
    streak: { type: Number, required: true },
    cycleDay: { type: Number, required: true, default: 0 },
    points: { type: Number, required: true, default: 0 },
    makeup: { type: Boolean, required: true, default: false },
    /** What a make-up cost. */
    cost: { type: Number, required: true, default: 0 },
    /** A make-up's cost is paid (plain check-ins are stored settled); reconcile settles or removes what a crash left. */
    settled: { type: Boolean, required: true, default: false },
    at: { type: Date, required: true },
  },
  { timestamps: true, collection: 'checkins' },
);
checkinSchema.index({ customerId: 1, day: 1 }, { unique: true });
checkinSchema.index({ settled: 1, createdAt: 1 });

export type Checkin = InferSchemaType<typeof checkinSchema>;
export const createCheckinModel = (db: Connection) => db.model('Checkin', checkinSchema);
export type CheckinModel = ReturnType<typeof createCheckinModel>;
