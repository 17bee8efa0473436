import { localDay } from './local-day.util.ts';
import { localMidnight } from './local-midnight.util.ts';

function shiftMonth(month: string, months: number): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber - 1 + months, 1)).toISOString().slice(0, 7);
}

/**
 * Points expire at the end of the `expiryMonths`-th month after the month they were earned in. At `now`, every
 * point earned before `cutoff` has expired; `expiredMonth` (YYYY-MM, the last earning month now expired) names
 * the expiry period, so one expiry entry per member per period keeps the job idempotent.
 */
export function expiryCutoff({ now, timeZone, expiryMonths }: { now: Date; timeZone: string; expiryMonths: number }): {
  cutoff: Date;
  expiredMonth: string;
} {
  const cutoffMonth = shiftMonth(localDay({ at: now, timeZone }).slice(0, 7), -expiryMonths);
  return { cutoff: localMidnight({ day: `${cutoffMonth}-01`, timeZone }), expiredMonth: shiftMonth(cutoffMonth, -1) };
}
