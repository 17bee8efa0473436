import { Types } from 'mongoose';
import { MP_SUBSCRIBE_RESULTS } from '../../../../shared/src/mp-api.ts';
import type { SubscriptionModel } from './subscription.model.ts';

export type SubscribeResult = (typeof MP_SUBSCRIBE_RESULTS)[number];

export interface GrantView {
  templateId: string;
  available: number;
  lastResult: SubscribeResult;
  lastResultAt: Date;
}

/**
 * One-time subscribe-message grants (wx.requestSubscribeMessage): every 'accept' allows exactly one send.
 * A send first consumes a grant with a conditional decrement, so concurrent senders never overspend.
 */
export function createSubscriptionService(Subscription: SubscriptionModel) {
  async function recordOne(customerId: string, templateId: string, result: SubscribeResult, at: Date): Promise<void> {
    const write = () =>
      Subscription.updateOne(
        { customerId: new Types.ObjectId(customerId), templateId },
        { $inc: { available: result === 'accept' ? 1 : 0 }, $set: { lastResult: result, lastResultAt: at } },
        { upsert: true },
      );
    try {
      await write();
    } catch (error) {
      // Two first decisions on one template raced to insert; the document exists now, so the retry updates it.
      if ((error as { code?: number }).code !== 11000) throw error;
      await write();
    }
  }

  async function record(customerId: string, results: Record<string, SubscribeResult>, at: Date = new Date()): Promise<void> {
    await Promise.all(Object.entries(results).map(([templateId, result]) => recordOne(customerId, templateId, result, at)));
  }

  /** Uses up one grant if there is one; false means the message must not be sent. */
  async function consumeGrant(input: { customerId: string; templateId: string }): Promise<boolean> {
    const updated = await Subscription.findOneAndUpdate(
      { customerId: new Types.ObjectId(input.customerId), templateId: input.templateId, available: { $gt: 0 } },
      { $inc: { available: -1 } },
      { projection: { _id: 1 } },
    ).lean();
    return updated !== null;
  }

  /** Gives a grant back when the send it was taken for failed before reaching WeChat. */
  async function restoreGrant(input: { customerId: string; templateId: string }): Promise<void> {
    await Subscription.updateOne({ customerId: new Types.ObjectId(input.customerId), templateId: input.templateId }, { $inc: { available: 1 } });
  }

  async function list(customerId: string): Promise<GrantView[]> {
    const rows = await Subscription.find({ customerId: new Types.ObjectId(customerId) }).sort({ templateId: 1 }).lean();
    return rows.map((row) => ({
      templateId: row.templateId,
      available: row.available,
      lastResult: row.lastResult as SubscribeResult,
      lastResultAt: row.lastResultAt,
    }));
  }

  /** Template id → grants left, only templates with at least one. */
  async function availableGrants(customerId: string): Promise<Record<string, number>> {
    const rows = await Subscription.find({ customerId: new Types.ObjectId(customerId), available: { $gt: 0 } }, { templateId: 1, available: 1 }).lean();
    return Object.fromEntries(rows.map((row) => [row.templateId, row.available]));
  }

  return { record, consumeGrant, restoreGrant, list, availableGrants };
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
