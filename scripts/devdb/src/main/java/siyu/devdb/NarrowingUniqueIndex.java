package siyu.devdb;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;

/** A unique index that also serves queries naming each of its fields with one plain value, beside other conditions. */
final class NarrowingUniqueIndex extends MemoryUniqueIndex {
  NarrowingUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
  }

  private Document onIndexFields(Document query) {
    Document lookup = new Document();
    for (String key : keys()) {
      List<Object> values = EqualityValues.in(query, key);
      if (values == null || values.size() != 1) return null;
      lookup.put(key, values.get(0));
    }
    return lookup;
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    return super.canHandle(query) || onIndexFields(query) != null;
  }

  @Override
  public synchronized Iterable<Integer> getPositions(Document query) {
    if (super.canHandle(query)) return super.getPositions(query);
    return super.getPositions(onIndexFields(query));
  }
}
