import type { FastifyBaseLogger } from 'fastify';
import type { CustomerService } from '../customers/customer.service.ts';
import type { InteractionService } from '../customers/interaction.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { createCalendarService } from './calendar.service.ts';
import { createCheckinRepair } from './checkin-repair.ts';
import { createCheckinService } from './checkin.service.ts';
import { createExpiryService } from './expiry.service.ts';
import { createLedgerService } from './ledger.service.ts';
import { createLoyaltySettingsService } from './loyalty-settings.service.ts';
import { createMakeupService } from './makeup.service.ts';
import { createMemberService } from './member.service.ts';
import type { LoyaltyModels } from './models.ts';
import { createPurchaseService } from './purchase.service.ts';
import { createReconcileService } from './reconcile.service.ts';

export interface LoyaltyDeps {
  customers: CustomerService;
  interactions: InteractionService;
  brand: SettingsService;
  log: FastifyBaseLogger;
}

/** The loyalty program's public service (`fastify.loyalty`): members, the points ledger, check-ins, purchases, expiry. */
export function createLoyaltyService(models: LoyaltyModels, deps: LoyaltyDeps) {
  const settings = createLoyaltySettingsService(models);
  const members = createMemberService(models, { settings, customers: deps.customers, interactions: deps.interactions });
  const ledger = createLedgerService(models, { onApplied: members.recordTierChange });
  const checkins = createCheckinService(models, { ledger, members, settings, brand: deps.brand, interactions: deps.interactions });
  const makeups = createMakeupService(models, { checkins, ledger, settings, interactions: deps.interactions });
  const calendars = createCalendarService(models, { checkins, settings });
  const purchases = createPurchaseService(models, { ledger, settings, customers: deps.customers, interactions: deps.interactions, log: deps.log });
  const expiry = createExpiryService(models, { ledger, settings, brand: deps.brand, log: deps.log });
  const repairCheckins = createCheckinRepair(models, { ledger });
  const reconciler = createReconcileService(models, {
    ledger,
    log: deps.log,
    recover: checkins.recover,
    repairs: async (now) => (await repairCheckins(now)) + (await purchases.finishInterrupted()),
  });

  return {
    enroll: members.enroll,
    getMember: members.getMember,
    findMemberByCardNumber: members.findMemberByCardNumber,
    postEntry: ledger.postEntry,
    ledger: ledger.ledger,
    reconcile: reconciler.reconcile,
    checkIn: checkins.checkIn,
    makeUpCheckIn: makeups.makeUpCheckIn,
    calendar: calendars.calendar,
    awardPurchase: purchases.awardPurchase,
    refundPurchase: purchases.refundPurchase,
    releaseFrozen: purchases.releaseFrozen,
    expirePoints: expiry.expirePoints,
    getSettings: settings.getSettings,
    updateSettings: settings.updateSettings,
  };
}

export type LoyaltyService = ReturnType<typeof createLoyaltyService>;
