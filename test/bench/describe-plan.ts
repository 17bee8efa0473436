import type { Db, Document, Sort } from 'mongodb';

export interface PlannedQuery {
  name: string;
  collection: string;
  filter: Document;
  sort: Sort;
  limit: number;
}

/** The winning plan as a chain of stages ("LIMIT > FETCH > IXSCAN tags_1__id_-1"), or why there is none. */
export async function describePlan(db: Db, query: PlannedQuery): Promise<string> {
  let explained: Document;
  try {
    explained = await db.collection(query.collection).find(query.filter).sort(query.sort).limit(query.limit).explain('queryPlanner');
  } catch (error) {
    return `explain not supported by this server (${(error as Error).message})`;
  }
  const winning = explained.queryPlanner?.winningPlan;
  if (!winning) return 'explain not supported by this server (no winning plan in its answer)';
  const stages: string[] = [];
  // Since MongoDB 7 the slot-based engine nests the classic tree under queryPlan.
  for (let stage = winning.queryPlan ?? winning; stage; stage = stage.inputStage ?? stage.inputStages?.[0]) {
    stages.push(stage.indexName ? `${stage.stage} ${stage.indexName}` : stage.stage);
  }
  return stages.join(' > ');
}
