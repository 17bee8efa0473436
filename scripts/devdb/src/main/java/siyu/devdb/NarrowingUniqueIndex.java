package siyu.devdb;

import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.memory.index.MemoryUniqueIndex;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A unique index that also serves queries giving each of its fields plain values (one, or a list by $in), beside
 * other conditions: like MongoDB's index bounds, it looks up every combination of those values.
 */
final class NarrowingUniqueIndex extends MemoryUniqueIndex {
  /** Beyond this many combinations a scan is the cheaper plan, as MongoDB's planner would also decide. */
  private static final int MAX_LOOKUPS = 10_000;

  private final FieldNames fields;

  /** The library rebuilds these lists with a stream on every call, on every write. */
  @Override
  protected List<String> keys() {
    return fields.list();
  }

  @Override
  protected Set<String> keySet() {
    return fields.set();
  }

  NarrowingUniqueIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.fields = FieldNames.of(keys);
  }

  @Override
  public Set<KeyValue> getKeyValues(Document document) {
    KeyValue key = TopLevelKeys.of(keys(), document);
    return key != null ? Set.of(key) : super.getKeyValues(document);
  }

  /** Whether an update leaves the indexed fields as they were (then the library keeps the entry). */
  @Override
  protected boolean nullAwareEqualsKeys(Document oldDocument, Document newDocument) {
    KeyValue before = TopLevelKeys.of(keys(), oldDocument);
    KeyValue after = TopLevelKeys.of(keys(), newDocument);
    return before != null && after != null ? before.equals(after) : super.nullAwareEqualsKeys(oldDocument, newDocument);
  }

  /** The values the query gives each index field, or null when a field has none or the combinations are too many. */
  private List<List<Object>> valuesPerField(Document query) {
    List<List<Object>> perField = new ArrayList<>();
    long combinations = 1;
    for (String key : keys()) {
      List<Object> values = EqualityValues.in(query, key);
      if (values == null || (combinations *= values.size()) > MAX_LOOKUPS) return null;
      perField.add(values);
    }
    return perField;
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    return super.canHandle(query) || valuesPerField(query) != null;
  }

  @Override
  public synchronized Iterable<Integer> getPositions(Document query) {
    if (super.canHandle(query)) return super.getPositions(query);
    List<Document> lookups = List.of(new Document());
    List<List<Object>> perField = valuesPerField(query);
    for (int field = 0; field < perField.size(); field++) {
      List<Document> next = new ArrayList<>();
      for (Document lookup : lookups) {
        for (Object value : perField.get(field)) {
          Document extended = new Document(lookup);
          extended.put(keys().get(field), value);
          next.add(extended);
        }
      }
      lookups = next;
    }
    Set<Integer> positions = new LinkedHashSet<>();
    for (Document lookup : lookups) super.getPositions(lookup).forEach(positions::add);
    return positions;
  }
}
