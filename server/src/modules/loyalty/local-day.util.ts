const formatters = new Map<string, Intl.DateTimeFormat>();
/** The last answer per time zone, for its UTC minute: every request of a minute asks the same question. */
const lastAnswer = new Map<string, { minute: number; day: string }>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The calendar day (YYYY-MM-DD) an instant falls on in the brand's time zone. Computed with Intl so the
 * server's own TZ never matters: a check-in at 23:59:59 and one at 00:00:01 Shanghai time land on two days.
 * Today's offsets are whole minutes in every zone, so a day never changes inside a UTC minute.
 */
export function localDay({ at, timeZone }: { at: Date; timeZone: string }): string {
  const minute = Math.floor(at.getTime() / 60_000);
  const last = lastAnswer.get(timeZone);
  if (last?.minute === minute) return last.day;
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  const day = `${part('year')}-${part('month')}-${part('day')}`;
  lastAnswer.set(timeZone, { minute, day });
  return day;
}
