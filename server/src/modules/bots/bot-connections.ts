import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { ServerToBot } from '../../../../shared/src/bot-protocol.ts';
import type { BotConnections } from './outbox.service.ts';

export interface BotConnection {
  id: string;
  socket: WebSocket;
  /** Set when the socket closed or was replaced: its remaining frames are left for the bot to replay. */
  closed: boolean;
}

export const CLOSE_REPLACED = 4000;
export const CLOSE_REVOKED = 4001;

/** The live socket of each bot connected to this instance: one per bot, a new one replaces the old. */
export function createBotConnections() {
  const live = new Map<string, BotConnection>();

  function attach(botId: string, socket: WebSocket): BotConnection {
    const previous = live.get(botId);
    const connection: BotConnection = { id: randomUUID(), socket, closed: false };
    live.set(botId, connection);
    if (previous) {
      previous.closed = true;
      previous.socket.close(CLOSE_REPLACED, 'replaced by a newer connection');
    }
    return connection;
  }

  function detach(botId: string, connection: BotConnection): void {
    connection.closed = true;
    if (live.get(botId) === connection) live.delete(botId);
  }

  function isOnline(botId: string): boolean {
    const connection = live.get(botId);
    return Boolean(connection && !connection.closed && connection.socket.readyState === WebSocket.OPEN);
  }

  function write(connection: BotConnection, frame: ServerToBot): Promise<boolean> {
    if (connection.closed || connection.socket.readyState !== WebSocket.OPEN) return Promise.resolve(false);
    return new Promise((resolve) => connection.socket.send(JSON.stringify(frame), (error) => resolve(!error)));
  }

  function send(botId: string, frame: ServerToBot): Promise<boolean> {
    const connection = live.get(botId);
    return connection ? write(connection, frame) : Promise.resolve(false);
  }

  /** The bots connected to this instance. */
  function onlineBotIds(): string[] {
    return [...live.keys()].filter(isOnline);
  }

  function close(botId: string, code: number, reason: string): void {
    const connection = live.get(botId);
    if (!connection) return;
    detach(botId, connection);
    connection.socket.close(code, reason);
  }

  return { attach, detach, isOnline, onlineBotIds, write, send, close } satisfies BotConnections & Record<string, unknown>;
}

export type BotConnectionRegistry = ReturnType<typeof createBotConnections>;
