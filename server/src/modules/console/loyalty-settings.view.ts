import type { LoyaltySettings } from '../loyalty/loyalty-settings.schemas.ts';
import type { Dictionary } from './console-i18n.ts';
import { cycleColumns } from './cycle-chart.util.ts';

export function loyaltySettingsView({ settings, t }: { settings: LoyaltySettings; t: Dictionary }) {
  return {
    title: t.loyalty.settings.title,
    settings: { ...settings, checkinCycleText: settings.checkinCycle.join(', ') },
    tiers: settings.tiers,
    chart: cycleColumns(settings.checkinCycle).map((column) => ({ ...column, label: t.loyalty.settings.chartDay.replace('{day}', String(column.day)) })),
  };
}
