/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * The weeks of a month as rows of seven cells: each cell is a day (`YYYY-MM-DD`) or null for padding before
 * the 1st and after the last day. Weeks start on Monday by default, as Chinese calendars do.
 */
export function monthWeeks(month: string, weekStartsOn: Weekday = 1): Array<Array<string | null>> {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) throw new RangeError(`not a month: ${month}`);
  const year = Number(match[1]);
  const monthIndex = Number(match[2]) - 1;
  const daysInMonth = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
  const leading = (new Date(Date.UTC(year, monthIndex, 1)).getUTCDay() - weekStartsOn + 7) % 7;

  const cells: Array<string | null> = Array.from({ length: leading }, () => null);
  for (let date = 1; date <= daysInMonth; date += 1) cells.push(`${month}-${String(date).padStart(2, '0')}`);
  while (cells.length % 7 !== 0) cells.push(null);

  const weeks: Array<Array<string | null>> = [];
  for (let start = 0; start < cells.length; start += 7) weeks.push(cells.slice(start, start + 7));
  return weeks;
}
