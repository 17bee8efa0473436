import { can, type Permission, type Role } from '../staff/permissions.ts';
import type { Dictionary } from './console-i18n.ts';

/** Every console section with the permission that opens it: the nav and the page guards read the same table. */
export const SECTIONS = {
  customers: { href: '/console/customers', permission: 'customers:read' },
  bots: { href: '/console/bots', permission: 'bots:manage' },
  rules: { href: '/console/rules', permission: 'rules:write' },
  members: { href: '/console/loyalty/members', permission: 'loyalty:manage' },
  rewards: { href: '/console/rewards', permission: 'loyalty:manage' },
  redemptions: { href: '/console/redemptions', permission: 'loyalty:manage' },
  loyaltySettings: { href: '/console/loyalty/settings', permission: 'loyalty:manage' },
} as const satisfies Record<string, { href: string; permission: Permission }>;

export type Section = keyof typeof SECTIONS;

/** Only the sections the role may open, so nobody is shown a link that ends on a 403 page. */
export function navItems(role: Role, current: Section, labels: Dictionary['nav']) {
  return (Object.keys(SECTIONS) as Section[])
    .filter((section) => can(role, SECTIONS[section].permission))
    .map((section) => ({ href: SECTIONS[section].href, label: labels[section], active: section === current }));
}
