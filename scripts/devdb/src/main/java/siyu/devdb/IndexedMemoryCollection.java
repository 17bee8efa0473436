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
