const pad = (value: number) => String(value).padStart(2, '0');

/** "2026-11-25 14:03" in the phone's time zone; with `dateOnly`, "2026-11-25". */
export function formatDateTime(iso: string, { dateOnly = false }: { dateOnly?: boolean } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return dateOnly ? day : `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
