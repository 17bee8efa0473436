import Fastify from 'fastify';
import { MongoClient, ObjectId } from 'mongodb';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The yardstick: the same reads, bare — no auth, validation, serialisation schemas or extra queries. */
export async function startBaseline(options: { uri: string; dbName: string }): Promise<RunningServer> {
  const client = await new MongoClient(options.uri).connect();
  const customers = client.db(options.dbName).collection('customers');
  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/profile/:id', async (request, reply) => {
    const customer = await customers.findOne({ _id: new ObjectId(request.params.id) });
    return customer ?? reply.code(404).send();
  });
  app.get<{ Querystring: { tag: string } }>('/by-tag', async (request) => customers.find({ tags: request.query.tag }).limit(20).toArray());
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    close: async () => {
      await app.close();
      await client.close();
    },
  };
}
