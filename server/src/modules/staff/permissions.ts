export const ROLES = ['admin', 'operator', 'agent'] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;
const MANAGERS: readonly Role[] = ['admin', 'operator'];

/** Least privilege: each permission lists exactly the roles that need it. */
export const PERMISSIONS = {
  'staff:manage': ['admin'],
  'settings:manage': ['admin'],
  'audit:read': ['admin'],
  'customers:read': ALL,
  'customers:write': MANAGERS,
  'customers:merge': MANAGERS,
  'customers:import': MANAGERS,
  'customers:export': MANAGERS,
  'customers:phone': MANAGERS,
  'tags:write': MANAGERS,
  'notes:write': ALL,
  'reminders:write': ALL,
  'bots:manage': ['admin'],
  'rules:write': MANAGERS,
  'chats:work': ALL,
  'loyalty:manage': MANAGERS,
  'loyalty:scan': ALL,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
