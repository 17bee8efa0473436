package siyu.devdb;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import java.util.List;

/** A unique index that also serves queries naming its fields by plain equality alongside other conditions. */
final class NarrowingUniqueIndex extends MemoryUniqueIndex {
  NarrowingUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    if (super.canHandle(query)) return true;
    return query.keySet().containsAll(keySet()) && keys().stream().allMatch(key -> EqualityValues.isPlain(query.get(key)));
  }

  @Override
  public synchronized Iterable<Integer> getPositions(Document query) {
    if (query.keySet().equals(keySet())) return super.getPositions(query);
    Document onIndexFields = new Document();
    for (String key : keys()) onIndexFields.put(key, query.get(key));
    return super.getPositions(onIndexFields);
  }
}
