package siyu.devdb;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A non-unique index on its leading field: value → positions, kept in position order so an unsorted query returns
 * documents in the same order as a collection scan. Candidates only; the collection matches the whole query.
 */
final class SecondaryIndex extends Index<Integer> {
  private final Map<KeyValue, TreeSet<Integer>> positionsByValue = new HashMap<>();
  private final Map<Object, Integer> positionById = new HashMap<>();
  private final Map<Integer, Set<KeyValue>> valuesByPosition = new HashMap<>();
  /** Set when a document cannot be indexed (for example parallel arrays, which MongoDB itself refuses): scan instead. */
  private boolean unusable;

  SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
  }

  private String leadingField() {
    return keys().get(0);
  }

  private static KeyValue normalized(Object value) {
    return new KeyValue(value).normalized();
  }

  private Set<KeyValue> leadingValues(Document document) {
    Set<KeyValue> values = new HashSet<>();
    for (KeyValue keyValue : getKeyValues(document)) values.add(normalized(keyValue.get(0)));
    return values;
  }

  @Override
  public synchronized Integer getPosition(Document document) {
    return null;
  }

  @Override
  public void checkAdd(Document document, MongoCollection<Integer> collection) {}

  @Override
  public synchronized void add(Document document, Integer position, MongoCollection<Integer> collection) {
    positionById.put(document.get("_id"), position);
    Set<KeyValue> values;
    try {
      values = leadingValues(document);
    } catch (RuntimeException error) {
      unusable = true;
      return;
    }
    valuesByPosition.put(position, values);
    for (KeyValue value : values) positionsByValue.computeIfAbsent(value, ignored -> new TreeSet<>()).add(position);
  }

  @Override
  public synchronized Integer remove(Document document) {
    Integer position = positionById.remove(document.get("_id"));
    if (position != null) forget(position);
    return position;
  }

  private void forget(Integer position) {
    Set<KeyValue> values = valuesByPosition.remove(position);
    if (values == null) return;
    for (KeyValue value : values) {
      TreeSet<Integer> positions = positionsByValue.get(value);
      if (positions == null) continue;
      positions.remove(position);
      if (positions.isEmpty()) positionsByValue.remove(value);
    }
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    return !unusable && EqualityValues.of(query.get(leadingField())) != null;
  }

  @Override
  public synchronized Iterable<Integer> getPositions(Document query) {
    List<Object> wanted = EqualityValues.of(query.get(leadingField()));
    if (wanted.size() == 1) return new ArrayList<>(positionsByValue.getOrDefault(normalized(wanted.get(0)), new TreeSet<>()));
    TreeSet<Integer> union = new TreeSet<>();
    for (Object value : wanted) union.addAll(positionsByValue.getOrDefault(normalized(value), new TreeSet<>()));
    return new ArrayList<>(union);
  }

  @Override
  public synchronized long getCount() {
    return positionById.size();
  }

  @Override
  public long getDataSize() {
    return 0;
  }

  @Override
  public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Integer> collection) {}

  @Override
  public synchronized void updateInPlace(Document oldDocument, Document newDocument, Integer position, MongoCollection<Integer> collection) {
    forget(position);
    add(newDocument, position, collection);
  }

  @Override
  public synchronized void drop() {
    positionsByValue.clear();
    positionById.clear();
    valuesByPosition.clear();
  }
}
