import type { Types } from 'mongoose';
import type { MpReferralReply } from '../../../../shared/src/rewards-api.ts';
import { DomainError } from '../../lib/errors.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import { isDuplicateKey } from '../loyalty/is-duplicate-key.util.ts';
import type { LoyaltyService } from '../loyalty/loyalty.service.ts';
import { toObjectId } from '../../lib/object-id.util.ts';
import type { RewardsModels } from './models.ts';
import { randomCode } from './random-code.util.ts';

/** 6 of 31 letters: about 900 million codes, short enough to type from a poster. */
const CODE_LENGTH = 6;
const CODE_ATTEMPTS = 8;
export const JOIN_PAGE = 'pages/join/index';

interface ReferralRecord {
  _id: Types.ObjectId;
  inviteeId: Types.ObjectId;
  inviterId: Types.ObjectId;
  code: string;
  status: 'pending' | 'completed';
  inviterPoints: number;
  inviteePoints: number;
}

export interface ReferralOutcome {
  inviterId: string;
  inviteeId: string;
  inviterPoints: number;
  inviteePoints: number;
}

/**
 * 裂变: both sides earn when an invitee joins. The referral document is unique on the invitee, so a person can be
 * the reason for a reward once; the points go through the ledger under keys derived from the invitee, so a retry
 * (or reconcile after a crash) pays each side exactly once.
 */
export function createReferralService({ Referral, ReferralCode }: RewardsModels, deps: { loyalty: LoyaltyService; interactions: InteractionService }) {
  /** The member's invite code, created on first request and stable afterwards. */
  async function referralCode(customerId: string): Promise<string> {
    const id = toObjectId(customerId);
    if (!id || !(await deps.loyalty.getMember(customerId))) throw new DomainError('NOT_A_MEMBER');
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const existing = await ReferralCode.findOne({ customerId: id }, { code: 1 }).lean();
      if (existing) return existing.code;
      try {
        return (await ReferralCode.create({ customerId: id, code: randomCode(CODE_LENGTH) })).code;
      } catch (error) {
        // A concurrent first request created the member's code, or the random code was taken: look again.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new DomainError('CONFLICT', 'no free invite code found; try again');
  }

  async function summary(customerId: string): Promise<MpReferralReply> {
    const code = await referralCode(customerId);
    const [invited, settings] = await Promise.all([
      Referral.countDocuments({ inviterId: toObjectId(customerId), status: 'completed' }),
      deps.loyalty.getSettings(),
    ]);
    return { code, path: `${JOIN_PAGE}?ref=${code}`, invited, inviterPoints: settings.referralInviterPoints, inviteePoints: settings.referralInviteePoints };
  }

  /** Pays both sides (each once) and records the invitation on both timelines. */
  async function complete(referral: ReferralRecord): Promise<ReferralOutcome> {
    const invitee = String(referral.inviteeId);
    const sides = [
      { customerId: referral.inviterId, points: referral.inviterPoints, role: 'inviter', summary: '邀请好友入会' },
      { customerId: referral.inviteeId, points: referral.inviteePoints, role: 'invitee', summary: '受邀入会' },
    ] as const;
    for (const side of sides) {
      if (side.points > 0) {
        await deps.loyalty.postEntry({
          customerId: side.customerId,
          amount: side.points,
          kind: 'referral',
          reason: side.summary,
          idempotencyKey: `referral:${side.role}:${invitee}`,
          meta: { referralId: String(referral._id), inviterId: String(referral.inviterId), inviteeId: invitee },
        });
      }
      await deps.interactions.append({
        customerId: side.customerId,
        type: 'points',
        channel: 'mp',
        summary: `${side.summary} +${side.points}`,
        data: { event: `referral_${side.role}`, inviterId: String(referral.inviterId), inviteeId: invitee, points: side.points },
        sourceKey: `referral:${side.role}:${invitee}`,
      });
    }
    await Referral.updateOne({ _id: referral._id, status: 'pending' }, { $set: { status: 'completed', completedAt: new Date() } });
    return { inviterId: String(referral.inviterId), inviteeId: invitee, inviterPoints: referral.inviterPoints, inviteePoints: referral.inviteePoints };
  }

  async function applyReferral(input: { inviteeCustomerId: string; referralCode: string }): Promise<ReferralOutcome> {
    const inviteeId = toObjectId(input.inviteeCustomerId);
    if (!inviteeId) throw new DomainError('NOT_A_MEMBER');
    const code = input.referralCode.trim().toUpperCase();
    const owner = await ReferralCode.findOne({ code }, { customerId: 1 }).lean();
    if (!owner) throw new DomainError('REFERRAL_CODE_UNKNOWN');
    if (owner.customerId.equals(inviteeId)) throw new DomainError('REFERRAL_SELF');
    if (!(await deps.loyalty.getMember(String(inviteeId)))) throw new DomainError('NOT_A_MEMBER');
    const settings = await deps.loyalty.getSettings();
    let referral: ReferralRecord;
    try {
      const created = await Referral.create({
        inviteeId,
        inviterId: owner.customerId,
        code,
        inviterPoints: settings.referralInviterPoints,
        inviteePoints: settings.referralInviteePoints,
      });
      referral = created.toObject<ReferralRecord>();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await Referral.findOne({ inviteeId }).lean<ReferralRecord>();
      // The same invitation interrupted earlier is finished; anything else is a second reward for one person.
      if (existing?.status === 'pending' && existing.inviterId.equals(owner.customerId)) return complete(existing);
      throw new DomainError('REFERRAL_REPEAT');
    }
    return complete(referral);
  }

  /** Finishes invitations a crash interrupted between the referral document and the points. */
  async function finishInterrupted(olderThan: Date): Promise<number> {
    let finished = 0;
    for await (const referral of Referral.find({ status: 'pending', createdAt: { $lt: olderThan } }).lean<ReferralRecord[]>().cursor()) {
      await complete(referral);
      finished++;
    }
    return finished;
  }

  return { referralCode, summary, applyReferral, finishInterrupted };
}

export type ReferralService = ReturnType<typeof createReferralService>;
