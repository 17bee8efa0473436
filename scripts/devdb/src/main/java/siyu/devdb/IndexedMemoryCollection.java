package siyu.devdb;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;

/** A collection that, like MongoDB, reads a sorted query in index order when its index has that order, and stops at the limit. */
final class IndexedMemoryCollection extends MemoryCollection {
  IndexedMemoryCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursorRegistry) {
    super(database, name, options, cursorRegistry);
  }

  /** Built under the collection's lock, so no write slips in between filling the index and using it. */
  @Override
  public synchronized void addIndex(Index<Integer> index) {
    super.addIndex(index);
  }

  /** Index positions are live views, read only under the collection's lock (the library leaves count unlocked). */
  @Override
  public synchronized int count(Document query, int skip, int limit) {
    return super.count(query, skip, limit);
  }

  @Override
  protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize, Document fieldSelector) {
    for (Index<Integer> index : getIndexes()) {
      if (!index.canHandle(query)) continue;
      if (index instanceof SecondaryIndex secondary) {
        Boolean reversed = secondary.servesSort(orderBy);
        if (reversed != null) {
          return matchDocuments(query, secondary.positionsInOrder(query, reversed), new Document(), numberToSkip, limit, batchSize, fieldSelector);
        }
      }
      break;
    }
    return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
  }
}
