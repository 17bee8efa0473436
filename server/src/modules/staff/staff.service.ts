import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { DomainError } from '../../lib/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { hashPassword, verifyPassword } from './password.util.ts';
import type { Role } from './permissions.ts';
import { createSessionModel } from './session.model.ts';
import { createStaffModel } from './staff.model.ts';

export interface StaffIdentity {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export const LOGIN_POLICY = {
  slowDownAfter: 3,
  lockAfter: 5,
  lockMinutes: 15,
  maxDelayMs: 2000,
} as const;

const SESSION_CACHE_MS = 5000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toIdentity(doc: { _id: unknown; email: string; name: string; role: string }): StaffIdentity {
  return { id: String(doc._id), email: doc.email, name: doc.name, role: doc.role as Role };
}

export function createStaffService(db: Connection, deps: { audit: AuditService; sessionTtlHours: number }) {
  const Staff = createStaffModel(db);
  const Session = createSessionModel(db);
  // A few seconds of caching spares one query per API call; logout and role changes clear it locally.
  const sessionCache = new Map<string, { identity: StaffIdentity; until: number }>();
  let dummyHash: Promise<string> | undefined;

  async function create(input: { email: string; name: string; role: Role; password: string }): Promise<StaffIdentity> {
    try {
      const doc = await Staff.create({ ...input, passwordHash: await hashPassword(input.password) });
      return toIdentity(doc);
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new DomainError('EMAIL_TAKEN');
      throw error;
    }
  }

  async function count(): Promise<number> {
    return Staff.estimatedDocumentCount();
  }

  async function list() {
    const rows = await Staff.find().sort({ createdAt: 1 }).lean();
    return rows.map((row) => ({
      ...toIdentity(row),
      disabled: row.disabled ?? false,
      lockedUntil: row.lockedUntil?.toISOString() ?? null,
      lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    }));
  }

  async function update(id: string, change: { name?: string; role?: Role; disabled?: boolean; password?: string }) {
    const set: Record<string, unknown> = {};
    if (change.name !== undefined) set.name = change.name;
    if (change.role !== undefined) set.role = change.role;
    if (change.disabled !== undefined) set.disabled = change.disabled;
    if (change.password !== undefined) set.passwordHash = await hashPassword(change.password);
    if (change.disabled === false) Object.assign(set, { failedLoginCount: 0, lockedUntil: null });
    const before = await Staff.findById(id).lean();
    if (!before) return null;
    const after = await Staff.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean();
    // Sessions carry a snapshot of the role: any change to who someone is ends their sessions.
    if (change.role !== undefined || change.disabled || change.password !== undefined) await revokeAllFor(id);
    return after ? { before: toIdentity(before), after: toIdentity(after) } : null;
  }

  async function revokeAllFor(staffId: string): Promise<void> {
    await Session.updateMany({ staffId, revokedAt: null }, { $set: { revokedAt: new Date() } });
    sessionCache.clear();
  }

  async function login(input: { email: string; password: string; ip?: string; userAgent?: string }) {
    const email = input.email.trim().toLowerCase();
    const staff = await Staff.findOne({ email });
    const now = new Date();
    if (!staff || staff.disabled) {
      // Spend the same time as a real check so a response time does not reveal which emails exist.
      dummyHash ??= hashPassword('timing-equaliser');
      await verifyPassword(input.password, await dummyHash);
      await deps.audit.record({ action: 'auth.login', outcome: 'failed', detail: `unknown or disabled: ${email}`, ip: input.ip });
      throw new DomainError('INVALID_CREDENTIALS');
    }
    if (staff.lockedUntil && staff.lockedUntil > now) {
      await deps.audit.record({ action: 'auth.login', outcome: 'denied', targetType: 'staff', targetId: String(staff._id), detail: 'account locked', ip: input.ip });
      throw new DomainError('ACCOUNT_LOCKED', `try again after ${staff.lockedUntil.toISOString()}`);
    }
    if (!(await verifyPassword(input.password, staff.passwordHash))) {
      await recordFailure(String(staff._id), input.ip);
      throw new DomainError('INVALID_CREDENTIALS');
    }
    await Staff.updateOne({ _id: staff._id }, { $set: { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now } });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + deps.sessionTtlHours * 3600_000);
    const identity = toIdentity(staff);
    await Session.create({
      tokenHash: hashToken(token),
      staffId: staff._id,
      email: identity.email,
      name: identity.name,
      role: identity.role,
      expiresAt,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300),
    });
    await deps.audit.record({ actor: identity, action: 'auth.login', outcome: 'ok', ip: input.ip });
    return { token, expiresAt, staff: identity };
  }

  async function recordFailure(staffId: string, ip?: string): Promise<void> {
    const updated = await Staff.findByIdAndUpdate(staffId, { $inc: { failedLoginCount: 1 } }, { returnDocument: 'after' }).lean();
    const failures = updated?.failedLoginCount ?? 0;
    if (failures >= LOGIN_POLICY.lockAfter) {
      await Staff.updateOne(
        { _id: staffId },
        { $set: { lockedUntil: new Date(Date.now() + LOGIN_POLICY.lockMinutes * 60_000), failedLoginCount: 0 } },
      );
    }
    await deps.audit.record({ action: 'auth.login', outcome: 'failed', targetType: 'staff', targetId: staffId, detail: `failure ${failures}`, ip });
    if (failures > LOGIN_POLICY.slowDownAfter) {
      await sleep(Math.min(LOGIN_POLICY.maxDelayMs, 250 * 2 ** (failures - LOGIN_POLICY.slowDownAfter)));
    }
  }

  async function authenticate(token: string): Promise<StaffIdentity | null> {
    const tokenHash = hashToken(token);
    const cached = sessionCache.get(tokenHash);
    if (cached && cached.until > Date.now()) return cached.identity;
    const session = await Session.findOne({ tokenHash }).lean();
    if (!session || session.revokedAt || session.expiresAt <= new Date()) {
      sessionCache.delete(tokenHash);
      return null;
    }
    const identity = { id: String(session.staffId), email: session.email, name: session.name, role: session.role as Role };
    if (sessionCache.size > 10_000) sessionCache.clear();
    sessionCache.set(tokenHash, { identity, until: Date.now() + SESSION_CACHE_MS });
    return identity;
  }

  async function logout(token: string): Promise<void> {
    const tokenHash = hashToken(token);
    sessionCache.delete(tokenHash);
    await Session.updateOne({ tokenHash, revokedAt: null }, { $set: { revokedAt: new Date() } });
  }

  return { create, count, list, update, login, logout, authenticate };
}

export type StaffService = ReturnType<typeof createStaffService>;
