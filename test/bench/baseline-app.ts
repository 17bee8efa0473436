import Fastify from 'fastify';
import type { Server } from 'node:http';
import { MongoClient, ObjectId } from 'mongodb';
import { WebSocketServer, type RawData } from 'ws';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface BaselineOptions {
  uri: string;
  dbName: string;
  /** The redemption storm's database: the baseline redeems from collections of its own there. */
  stormDbName?: string;
  /** Capture: each contact's customer id, so a raw insert writes the interaction Siyu would write. */
  contacts?: Map<string, string>;
}

/** The storm baseline's collections, beside Siyu's in the storm database so reconcile never sees them. */
export const BASELINE_REWARDS = 'baseline_rewards';
export const BASELINE_MEMBERS = 'baseline_members';

interface MessageFrame {
  id: string;
  payload: { contact: { id: string }; messageType: string; text?: string };
}

/**
 * The yardstick: the same reads and writes, bare — no auth, validation, serialisation schemas or extra queries.
 * Check-in is one `findOneAndUpdate` on the member; a redemption is the two conditional updates that keep stock
 * and balance from going below zero; capture is one `insertOne` of the interaction per event, acked.
 */
export async function startBaseline(options: BaselineOptions): Promise<RunningServer> {
  const client = await new MongoClient(options.uri).connect();
  const db = client.db(options.dbName);
  const customers = db.collection('customers');
  const members = db.collection('members');
  const interactions = db.collection('interactions');
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ ok: true }));
  app.get<{ Params: { id: string } }>('/profile/:id', async (request, reply) => {
    const customer = await customers.findOne({ _id: new ObjectId(request.params.id) });
    return customer ?? reply.code(404).send();
  });
  app.get<{ Querystring: { tag: string } }>('/by-tag', async (request) => customers.find({ tags: request.query.tag }).limit(20).toArray());
  app.post<{ Params: { id: string } }>('/checkin/:id', async (request, reply) => {
    const member = await members.findOneAndUpdate({ customerId: new ObjectId(request.params.id) }, { $inc: { balance: 1 } }, { returnDocument: 'after' });
    return member ? { balance: member.balance } : reply.code(404).send();
  });
  if (options.stormDbName) {
    const storm = client.db(options.stormDbName);
    const rewards = storm.collection(BASELINE_REWARDS);
    const stormMembers = storm.collection(BASELINE_MEMBERS);
    app.post<{ Params: { rewardId: string; customerId: string } }>('/redeem/:rewardId/:customerId', async (request, reply) => {
      const reward = await rewards.findOneAndUpdate({ _id: new ObjectId(request.params.rewardId), stock: { $gt: 0 } }, { $inc: { stock: -1 } });
      if (!reward) return reply.code(409).send({ code: 'OUT_OF_STOCK' });
      const cost = reward.pointsCost as number;
      const member = await stormMembers.findOneAndUpdate({ customerId: new ObjectId(request.params.customerId), balance: { $gte: cost } }, { $inc: { balance: -cost } });
      if (member) return { ok: true };
      await rewards.updateOne({ _id: reward._id }, { $inc: { stock: 1 } });
      return reply.code(409).send({ code: 'INSUFFICIENT_POINTS' });
    });
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const sockets = options.contacts ? captureSockets(app.server, options.contacts, (document) => interactions.insertOne(document)) : null;
  return {
    url,
    close: async () => {
      for (const socket of sockets?.clients ?? []) socket.terminate();
      sockets?.close();
      await app.close();
      await client.close();
    },
  };
}

/** `/ws/raw`: takes the same event frames as /ws/bot, inserts the interaction each would write, and acks it. */
function captureSockets(server: Server, contacts: Map<string, string>, insert: (document: Record<string, unknown>) => Promise<unknown>) {
  const sockets = new WebSocketServer({ server, path: '/ws/raw' });
  sockets.on('connection', (socket) => {
    socket.on('message', (data: RawData) => {
      const frame = JSON.parse(String(data)) as MessageFrame;
      const { payload } = frame;
      const document = {
        customerId: new ObjectId(contacts.get(payload.contact.id)),
        type: 'message_in',
        at: new Date(),
        channel: 'bot',
        summary: (payload.text ?? `[${payload.messageType}]`).slice(0, 140),
        data: { botId: 'baseline', messageType: payload.messageType },
        sourceKey: `bot:baseline:${frame.id}`,
      };
      insert(document).then(
        () => socket.send(JSON.stringify({ v: 1, kind: 'ack', id: frame.id, ok: true })),
        () => socket.send(JSON.stringify({ v: 1, kind: 'ack', id: frame.id, ok: false, reason: 'error' })),
      );
    });
  });
  return sockets;
}
