import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createCsvExportService } from './csv-export.service.ts';
import { createCsvImportService } from './csv-import.service.ts';
import { csvRoutes } from './csv.routes.ts';
import { customerRoutes } from './customers.routes.ts';
import { createCustomerService, type CustomerService } from './customer.service.ts';
import { createInteractionService, type InteractionService } from './interaction.service.ts';
import { createLayerStatsService } from './layer-stats.service.ts';
import { createMergeService, type MergeService } from './merge.service.ts';
import { createCustomerModels } from './models.ts';
import { notesRoutes } from './notes.routes.ts';
import { tagRoutes } from './tags.routes.ts';
import { createNotesService, type NotesService } from './notes.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    customers: CustomerService;
    interactions: InteractionService;
    notes: NotesService;
    customerMerge: MergeService;
  }
}

export interface CustomersPluginOptions {
  csvLimitBytes: number;
}

async function customersPlugin(fastify: FastifyInstance, options: CustomersPluginOptions): Promise<void> {
  const models = createCustomerModels(fastify.db);
  const interactions = createInteractionService(models);
  const customers = createCustomerService(models, { settings: fastify.settings, interactions });
  const notes = createNotesService(models, { interactions });
  const customerMerge = createMergeService(models, { customers, interactions, notes });
  fastify.decorate('interactions', interactions);
  fastify.decorate('customers', customers);
  fastify.decorate('notes', notes);
  fastify.decorate('customerMerge', customerMerge);
  fastify.decorate('customerCsvImport', createCsvImportService(models, { customers, interactions }));
  fastify.decorate('customerCsvExport', createCsvExportService({ customers, settings: fastify.settings }));
  fastify.decorate('customerLayerStats', createLayerStatsService(models.Customer));
  await Promise.all(Object.values(models).map((model) => model.init()));
  const resumed = await customerMerge.resumePendingMerges();
  if (resumed) fastify.log.warn({ resumed }, 'finished merges a crash had interrupted');
  await fastify.register(customerRoutes);
  await fastify.register(notesRoutes);
  await fastify.register(tagRoutes);
  await fastify.register(csvRoutes, { csvLimitBytes: options.csvLimitBytes });
}

export default fp(customersPlugin, { fastify: '5.x', name: 'customers', dependencies: ['database', 'staff', 'settings'] });
