import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isJavaAvailable, startDevDb, type DevDbBackend } from '../../../scripts/devdb/devdb.ts';

export interface FoundDatabase {
  uri: string;
  kind: 'external' | 'mongodb-memory-server' | 'stand-in';
  /** One line for the operator: which database this is and what production does instead. */
  description: string;
  stop(): Promise<void>;
}

interface FindDatabaseOptions {
  mongodbUri?: string;
  production: boolean;
  dataDir: string;
  /** memory for tests, h2 (a file under dataDir) for `npm start`. */
  standInBackend: DevDbBackend;
  /** The stand-in's heap, committed up front (`npm run bench`): see startDevDb. */
  standInHeap?: string;
}

const DOWNLOAD_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** Finds a database in the order ARCHITECTURE.md gives: MONGODB_URI, mongod from mongodb-memory-server, the stand-in. */
export async function findDatabase(options: FindDatabaseOptions): Promise<FoundDatabase> {
  if (options.mongodbUri) {
    return { uri: options.mongodbUri, kind: 'external', description: 'database: MONGODB_URI', stop: async () => {} };
  }
  if (options.production) {
    throw new Error('MONGODB_URI is required when NODE_ENV=production: point it at your MongoDB replica set');
  }
  const mongod = await tryMongodbMemoryServer(options);
  if (mongod) return mongod;
  if (!isJavaAvailable()) {
    throw new Error('no database: set MONGODB_URI, allow mongodb-memory-server to download mongod, or install Java 17 for the development stand-in');
  }
  const devDb = await startDevDb({ backend: options.standInBackend, dataDir: options.dataDir, heap: options.standInHeap });
  const where = options.standInBackend === 'h2' ? `data in ${path.join(options.dataDir, 'devdb.mv')}` : 'in memory';
  return {
    uri: devDb.uri,
    kind: 'stand-in',
    description: `database: development stand-in (mongo-java-server, ${where}) at ${devDb.uri}; production sets MONGODB_URI`,
    stop: devDb.stop,
  };
}

async function tryMongodbMemoryServer(options: FindDatabaseOptions): Promise<FoundDatabase | null> {
  mkdirSync(options.dataDir, { recursive: true });
  const marker = path.join(options.dataDir, 'mongod-download-failed');
  // A failed download costs seconds of retries: remember it so every start does not pay again.
  if (existsSync(marker) && Date.now() - Number(readFileSync(marker, 'utf8')) < DOWNLOAD_RETRY_AFTER_MS) return null;
  try {
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    const persistent = options.standInBackend === 'h2';
    const dbPath = path.join(options.dataDir, 'mongod');
    if (persistent) mkdirSync(dbPath, { recursive: true });
    // mongodb-memory-server reports a failed download on console.warn; we say which database we use in one line instead.
    const warn = console.warn;
    console.warn = () => {};
    const server = await MongoMemoryServer.create({
      instance: persistent ? { dbPath, storageEngine: 'wiredTiger' } : {},
    }).finally(() => {
      console.warn = warn;
    });
    return {
      uri: server.getUri().replace(/\/$/, ''),
      kind: 'mongodb-memory-server',
      description: `database: mongod from mongodb-memory-server${persistent ? ` (data in ${dbPath})` : ''}; production sets MONGODB_URI`,
      stop: async () => {
        await server.stop({ doCleanup: !persistent });
      },
    };
  } catch {
    writeFileSync(marker, String(Date.now()));
    return null;
  }
}
