import type { Types } from 'mongoose';
import type { RedemptionStatus } from './redemption.model.ts';

/** A redemption as stored. */
export interface RedemptionRecord {
  _id: Types.ObjectId;
  customerId: Types.ObjectId;
  rewardId: Types.ObjectId;
  idempotencyKey: string;
  status: RedemptionStatus;
  failureCode?: string | null;
  rewardName: string;
  pointsCost: number;
  couponValidDays: number;
  perMemberLimit?: number | null;
  couponId?: Types.ObjectId | null;
  at: Date;
  createdAt: Date;
}

/** The ledger key of a redemption's spend: the same for the request, its retries and reconcile. */
export const spendKey = (redemptionId: Types.ObjectId) => `redeem:${String(redemptionId)}`;
