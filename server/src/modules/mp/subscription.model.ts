import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { MP_SUBSCRIBE_RESULTS } from '../../../../shared/src/mp-api.ts';

/** One document per customer and template: how many one-time sends the customer has granted and not used. */
export const subscriptionSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true },
    templateId: { type: String, required: true },
    available: { type: Number, required: true, default: 0, min: 0 },
    lastResult: { type: String, enum: MP_SUBSCRIBE_RESULTS, required: true },
    lastResultAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'mp_subscriptions' },
);
subscriptionSchema.index({ customerId: 1, templateId: 1 }, { unique: true });
subscriptionSchema.index({ templateId: 1, available: 1 });

export type Subscription = InferSchemaType<typeof subscriptionSchema>;
export const createSubscriptionModel = (db: Connection) => db.model('MpSubscription', subscriptionSchema);
export type SubscriptionModel = ReturnType<typeof createSubscriptionModel>;
