import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { CONSENT_CHANNELS, GENDERS, IDENTITY_TYPES, LAYERS } from '../../../../shared/src/customer.ts';

const identitySchema = new Schema(
  {
    type: { type: String, enum: IDENTITY_TYPES, required: true },
    /** The brand account the id belongs to: bot account id, Official Account appid, mini-program appid… */
    accountId: { type: String, required: true },
    externalId: { type: String, required: true },
    at: { type: Date, default: () => new Date() },
  },
  { _id: false },
);

const consentSchema = new Schema(
  {
    channel: { type: String, enum: CONSENT_CHANNELS, required: true },
    status: { type: String, enum: ['granted', 'withdrawn'], required: true },
    at: { type: Date, required: true },
    method: { type: String, required: true },
    wordingVersion: { type: String, required: true },
  },
  { _id: false },
);

export const customerSchema = new Schema(
  {
    name: { type: String, trim: true },
    nickname: { type: String, trim: true },
    remark: { type: String, trim: true },
    avatarUrl: { type: String },
    gender: { type: String, enum: GENDERS, default: 'unknown' },
    region: {
      country: { type: String },
      province: { type: String },
      city: { type: String },
    },
    phone: { type: String },
    birthday: { type: String },
    source: {
      channel: { type: String },
      qrScene: { type: String },
      referrerId: { type: Schema.Types.ObjectId },
    },
    identities: { type: [identitySchema], default: [] },
    /** `type:accountId:externalId` of every identity: unique, so one identity can only ever belong to one person. */
    identityKeys: { type: [String], default: [] },
    unionId: { type: String },
    layer: { type: String, enum: LAYERS, default: 'visitor' },
    tags: { type: [String], default: [] },
    consents: { type: [consentSchema], default: [] },
    lastActiveAt: { type: Date },
    /** 需求关键字: how often the person asked about each need keyword. */
    needs: { type: Map, of: Number, default: undefined },
    /** The last sources counted into `needs`, so a replayed event is counted once. */
    needSourceKeys: { type: [String], default: undefined },
    /** 流失: the person deleted the brand account. */
    lost: { at: { type: Date }, botAccountId: { type: String } },
    mergedInto: { type: Schema.Types.ObjectId },
    /** Set while a merge is under way, so a reconcile can finish it after a crash. */
    mergingInto: { type: Schema.Types.ObjectId },
    /** The source's unique keys, parked here before they are released, for the target to take over. */
    mergedIdentityKeys: { type: [String], default: undefined },
    mergedUnionId: { type: String },
  },
  { timestamps: true, collection: 'customers' },
);

customerSchema.index({ identityKeys: 1 }, { unique: true, sparse: true });
customerSchema.index({ unionId: 1 }, { unique: true, sparse: true });
customerSchema.index({ phone: 1 }, { sparse: true });
customerSchema.index({ tags: 1, _id: -1 });
customerSchema.index({ layer: 1, _id: -1 });
customerSchema.index({ createdAt: -1, _id: -1 });
customerSchema.index({ lastActiveAt: -1, _id: -1 });
customerSchema.index({ 'region.province': 1, 'region.city': 1 });
customerSchema.index({ mergedInto: 1 }, { sparse: true });
customerSchema.index({ mergingInto: 1 }, { sparse: true });

export type Customer = InferSchemaType<typeof customerSchema>;
export const createCustomerModel = (db: Connection) => db.model('Customer', customerSchema);
export type CustomerModel = ReturnType<typeof createCustomerModel>;
