import type { Locale } from './console-i18n.ts';

const formats = new Map<string, Intl.DateTimeFormat>();

/** Date and time in the brand's time zone; the browser script formats with the same options so both agree. */
export function formatDateTime(iso: string | null, locale: Locale, timeZone: string): string | null {
  if (!iso) return null;
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    formats.set(key, format);
  }
  return format.format(new Date(iso));
}
