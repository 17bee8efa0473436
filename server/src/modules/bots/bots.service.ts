import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { BotStatusFrame } from '../../../../shared/src/bot-protocol.ts';
import type { EventBus } from '../../plugins/bus.ts';
import { hashToken } from '../staff/staff.service.ts';
import type { Bot } from './bot.model.ts';
import type { BotDto } from './bots.schemas.ts';
import type { BotModels } from './models.ts';

export type BotRecord = Bot & { _id: Types.ObjectId; createdAt: Date };

const iso = (date?: Date | null) => (date ? date.toISOString() : null);

export function toBotDto(doc: BotRecord): BotDto {
  return {
    id: String(doc._id),
    name: doc.name,
    status: doc.status ?? 'starting',
    statusSince: (doc.statusSince ?? doc.createdAt).toISOString(),
    qrcode: doc.qrcode ?? null,
    account: doc.account?.id ? { id: doc.account.id, name: doc.account.name ?? '' } : null,
    error: doc.error ?? null,
    online: Boolean(doc.connectionId),
    lastSeenAt: iso(doc.lastSeenAt),
    revokedAt: iso(doc.revokedAt),
    ownerStaffId: String(doc.ownerStaffId),
    createdAt: doc.createdAt.toISOString(),
  };
}

/** Bot accounts: tokens, revocation and the status each bot reports. */
export function createBotsService({ Bot }: BotModels, deps: { bus: EventBus }) {
  function publishStatus(doc: BotRecord) {
    const dto = toBotDto(doc);
    deps.bus.publish('bot.status', { botId: dto.id, status: dto.status, since: dto.statusSince, online: dto.online, account: dto.account, qrcode: dto.qrcode });
  }

  /** The token is returned here once and never again. */
  async function create(input: { name: string }, ownerStaffId: string) {
    const token = `sbt_${randomBytes(32).toString('base64url')}`;
    const doc = await Bot.create({ name: input.name, tokenHash: hashToken(token), ownerStaffId });
    return { bot: toBotDto(doc.toObject() as BotRecord), token };
  }

  async function list(): Promise<BotDto[]> {
    const rows = (await Bot.find().sort({ createdAt: 1 }).lean()) as BotRecord[];
    return rows.map(toBotDto);
  }

  async function get(id: string): Promise<BotRecord | null> {
    return (await Bot.findById(id).lean()) as BotRecord | null;
  }

  /** Revoking also ends the bot's live socket, on whichever instance holds it. */
  async function revoke(id: string): Promise<BotDto | null> {
    await Bot.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: new Date() } });
    const doc = await get(id);
    if (doc) deps.bus.publish('bot.revoked', { botId: id });
    return doc ? toBotDto(doc) : null;
  }

  async function authenticate(token: string): Promise<BotRecord | null> {
    return (await Bot.findOne({ tokenHash: hashToken(token), revokedAt: null }).lean()) as BotRecord | null;
  }

  async function markConnected(id: string, connectionId: string): Promise<void> {
    const doc = (await Bot.findOneAndUpdate({ _id: id }, { $set: { connectionId, lastSeenAt: new Date() } }, { returnDocument: 'after' }).lean()) as BotRecord | null;
    if (doc) publishStatus(doc);
  }

  /** Only the socket that is still registered clears the marker: a replaced socket closing late changes nothing. */
  async function markDisconnected(id: string, connectionId: string): Promise<void> {
    const doc = (await Bot.findOneAndUpdate(
      { _id: id, connectionId },
      { $unset: { connectionId: 1 }, $set: { lastSeenAt: new Date() } },
      { returnDocument: 'after' },
    ).lean()) as BotRecord | null;
    if (doc) publishStatus(doc);
  }

  async function recordStatus(id: string, frame: BotStatusFrame): Promise<BotRecord | null> {
    const now = new Date();
    // Read then write is safe here: a bot's frames are applied one at a time, and one write keeps the record whole.
    const current = await Bot.findById(id, { status: 1 }).lean();
    if (!current) return null;
    const set: Record<string, unknown> = { status: frame.status, lastSeenAt: now, ...(current.status !== frame.status ? { statusSince: now } : {}) };
    const unset: Record<string, 1> = {};
    if (frame.status === 'scanning' && frame.qrcode) set.qrcode = frame.qrcode;
    else unset.qrcode = 1;
    if (frame.error) set.error = frame.error;
    else unset.error = 1;
    if (frame.account) set.account = frame.account;
    const doc = (await Bot.findOneAndUpdate({ _id: id }, { $set: set, $unset: unset }, { returnDocument: 'after' }).lean()) as BotRecord | null;
    if (doc) publishStatus(doc);
    return doc;
  }

  return { create, list, get, revoke, authenticate, markConnected, markDisconnected, recordStatus };
}

export type BotsService = ReturnType<typeof createBotsService>;
