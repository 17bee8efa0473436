/** Days already shifted: every check-in walks back from yesterday, and a lookup costs less than the Date round trip. */
const shifted = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

/** Moves a YYYY-MM-DD calendar day by whole days; pure calendar arithmetic, no time zone involved. */
export function shiftDay({ day, days }: { day: string; days: number }): string {
  const key = `${day}:${days}`;
  const known = shifted.get(key);
  if (known !== undefined) return known;
  const [year, month, date] = day.split('-').map(Number);
  const result = new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
  if (shifted.size >= MAX_REMEMBERED) shifted.clear();
  shifted.set(key, result);
  return result;
}
