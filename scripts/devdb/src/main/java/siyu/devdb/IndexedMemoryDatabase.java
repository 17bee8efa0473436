package siyu.devdb;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import java.util.List;

/**
 * mongo-java-server keeps non-unique indexes as empty placeholders and uses a unique index only for a query on
 * exactly its fields, so every other query scans the collection. On 100,000 documents that made the stand-in
 * measure its own scans rather than our code. Here both kinds narrow any query with equality on the index's
 * leading field (also inside $and), and a sort the index's order already gives is read in that order up to the
 * limit. The server still matches every candidate against the whole query, so results do not change.
 */
final class IndexedMemoryDatabase extends MemoryDatabase {
  private final CursorRegistry cursorRegistry;

  IndexedMemoryDatabase(String databaseName, CursorRegistry cursorRegistry) {
    super(databaseName, cursorRegistry);
    this.cursorRegistry = cursorRegistry;
  }

  @Override
  protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
    return new IndexedMemoryCollection(this, collectionName, options, cursorRegistry);
  }

  @Override
  protected Index<Integer> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    return new NarrowingUniqueIndex(indexName, keys, sparse);
  }

  @Override
  protected Index<Integer> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
    return new SecondaryIndex(indexName, keys, sparse);
  }
}
