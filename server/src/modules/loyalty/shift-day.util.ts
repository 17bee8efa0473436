/** Moves a YYYY-MM-DD calendar day by whole days; pure calendar arithmetic, no time zone involved. */
export function shiftDay({ day, days }: { day: string; days: number }): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}
