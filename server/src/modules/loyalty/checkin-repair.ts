import type { LedgerService } from './ledger.service.ts';
import { makeupKey } from './makeup.service.ts';
import type { LoyaltyModels } from './models.ts';
import { changeCheckinHistory } from './checkin-history.ts';

/** Older than this, an unsettled check-in is taken as left by a crash rather than still in flight. */
const IN_FLIGHT_MS = 60_000;

/**
 * For reconcile: a make-up never paid for is removed, one paid for is marked settled. (Plain check-ins are
 * recovered from their pending ledger entry.) Runs after pending ledger entries are settled.
 */
export function createCheckinRepair(models: LoyaltyModels, deps: { ledger: LedgerService }) {
  const { Checkin } = models;
  return async function repairCheckins(now: Date): Promise<number> {
    let repaired = 0;
    const unsettled = Checkin.find({ settled: false, createdAt: { $lt: new Date(now.getTime() - IN_FLIGHT_MS) } }).lean().cursor();
    for await (const checkin of unsettled) {
      if (checkin.cost === 0 || (await deps.ledger.findByKey(makeupKey(checkin._id)))?.status === 'applied') {
        await changeCheckinHistory(models, checkin.customerId, () => Checkin.updateOne({ _id: checkin._id }, { $set: { settled: true } }));
      } else await Checkin.deleteOne({ _id: checkin._id, settled: false });
      repaired++;
    }
    return repaired;
  };
}
