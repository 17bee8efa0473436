import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export type BusHandler<Event> = (event: Event) => void | Promise<void>;

/** Topics and their event shapes; features add theirs with `declare module`. */
export interface BusTopics {}

export interface EventBus {
  publish<Topic extends keyof BusTopics & string>(topic: Topic, event: BusTopics[Topic]): void;
  /** Returns the unsubscribe function. */
  subscribe<Topic extends keyof BusTopics & string>(topic: Topic, handler: BusHandler<BusTopics[Topic]>): () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    bus: EventBus;
  }
}

/**
 * The in-process bus (one instance). Several instances need the MongoDB-polled implementation that
 * ARCHITECTURE.md describes; it plugs in behind the same interface.
 */
export function createInProcessBus(onError: (error: unknown, topic: string) => void): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: (topic, event) => {
      emitter.emit(topic, event);
    },
    subscribe: (topic, handler) => {
      const listener = (event: BusTopics[typeof topic]) => {
        Promise.resolve()
          .then(() => handler(event))
          .catch((error: unknown) => onError(error, topic));
      };
      emitter.on(topic, listener);
      return () => emitter.off(topic, listener);
    },
  };
}

async function busPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.decorate('bus', createInProcessBus((error, topic) => fastify.log.error({ err: error, topic }, 'event handler failed')));
}

export default fp(busPlugin, { fastify: '5.x', name: 'bus' });
