/** Normalises a phone number to digits (mainland numbers without +86); null when it cannot be a phone number. */
export function normalizePhone(raw: string): string | null {
  const compact = raw.replace(/[\s()-]/g, '');
  const mainland = compact.replace(/^(\+?86|0086)(?=1\d{10}$)/, '');
  if (/^1[3-9]\d{9}$/.test(mainland)) return mainland;
  if (/^\+?\d{6,15}$/.test(compact)) return compact.startsWith('+') ? compact : compact;
  return null;
}

/** 138****5678: enough for an agent to confirm a caller, not enough to copy. */
export function maskPhone(phone: string): string {
  if (phone.length <= 4) return '*'.repeat(phone.length);
  const keepEnd = 4;
  const keepStart = Math.min(3, phone.length - keepEnd);
  return phone.slice(0, keepStart) + '*'.repeat(phone.length - keepStart - keepEnd) + phone.slice(-keepEnd);
}
