import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findDatabase, type FoundDatabase } from '../../server/src/database/find-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

let database: FoundDatabase | undefined;

/** One database server for the whole run (each test file uses its own database on it). */
export async function setup(project: TestProject): Promise<void> {
  database = await findDatabase({
    mongodbUri: process.env.MONGODB_URI,
    production: false,
    dataDir: path.resolve('.data'),
    standInBackend: 'memory',
  });
  process.stdout.write(`${database.description}\n`);
  project.provide('mongodbUri', database.uri);
}

export async function teardown(): Promise<void> {
  await database?.stop();
}
