import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { BOT_PROTOCOL_VERSION, type BotEvent, type ContactInfo } from '../../../shared/src/bot-protocol.ts';
import { buildTestApp, injectAs, type Session } from '../../helpers/app.ts';

type MessageEvent = Extract<BotEvent, { type: 'message' }>;

export const contact = (id: string, extra: Partial<ContactInfo> = {}): ContactInfo => ({ id, name: `客户${id}`, kind: 'individual', ...extra });

export function event<Type extends BotEvent['type']>(type: Type, payload: Extract<BotEvent, { type: Type }>['payload'], id: string = randomUUID()) {
  return { v: BOT_PROTOCOL_VERSION, kind: 'event', id, type, at: new Date().toISOString(), payload } as Extract<BotEvent, { type: Type }>;
}

export function message(from: ContactInfo | string, text: string, extra: Partial<MessageEvent['payload']> = {}, id?: string): MessageEvent {
  const sender = typeof from === 'string' ? contact(from) : from;
  return event('message', { messageId: randomUUID(), contact: sender, mentionSelf: false, fromSelf: false, messageType: 'text', text, ...extra }, id);
}

export interface BotWorld {
  app: FastifyInstance;
  admin: Session;
  operator: Session;
  botId: string;
  token: string;
}

/** A listening app with an admin, an operator and one bot account. */
export async function botWorld(): Promise<BotWorld> {
  const app = await buildTestApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const admin = await injectAs(app, 'admin');
  const operator = await injectAs(app, 'operator');
  const { botId, token } = await createBot(admin, '品牌客服 1 号');
  return { app, admin, operator, botId, token };
}

export async function createBot(admin: Session, name: string): Promise<{ botId: string; token: string }> {
  const created = await admin.inject({ method: 'POST', url: '/api/bots', payload: { name } });
  if (created.statusCode !== 201) throw new Error(created.body);
  const body = created.json<{ bot: { id: string }; token: string }>();
  return { botId: body.bot.id, token: body.token };
}

export async function addRule(session: Session, rule: Record<string, unknown>): Promise<string> {
  const response = await session.inject({ method: 'POST', url: '/api/bot-rules', payload: rule });
  if (response.statusCode !== 201) throw new Error(response.body);
  return response.json<{ id: string }>().id;
}
