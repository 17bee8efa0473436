import { randomBytes } from 'node:crypto';
import type { StaffService } from './staff.service.ts';

export interface FirstAdminResult {
  email: string;
  /** Present only when generated here: the caller prints it once, it is never logged or stored in clear. */
  generatedPassword?: string;
}

/** On an empty staff collection, creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD or a generated login. */
export async function ensureFirstAdmin(staff: StaffService, given: { email?: string; password?: string }): Promise<FirstAdminResult | null> {
  if ((await staff.count()) > 0) return null;
  const email = given.email ?? 'admin@siyu.local';
  const generatedPassword = given.password ? undefined : randomBytes(12).toString('base64url');
  try {
    await staff.create({ email, name: '管理员', role: 'admin', password: given.password ?? generatedPassword! });
  } catch (error) {
    // Another instance starting at the same moment created it first.
    if ((error as { code?: string }).code === 'EMAIL_TAKEN') return null;
    throw error;
  }
  return { email, generatedPassword };
}
