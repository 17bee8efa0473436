package siyu.devdb;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A non-unique index: for each value of its leading field, the documents ordered by the index's other fields (then
 * position), as MongoDB's B-tree keeps them. Serves equality on the leading field and, like MongoDB, a sort on the
 * other fields without sorting. Candidates only; the collection matches each against the whole query.
 */
final class SecondaryIndex extends Index<Integer> {
  private record Entry(List<Object> rest, int position) {}

  private static final TreeSet<Entry> EMPTY = new TreeSet<>((a, b) -> 0);
  private final Comparator<Entry> order;
  private final Map<KeyValue, TreeSet<Entry>> entriesByValue = new HashMap<>();
  private final Map<KeyValue, TreeSet<Integer>> positionsByValue = new HashMap<>();
  private final Map<Object, Integer> positionById = new HashMap<>();
  private final Map<Integer, List<Map.Entry<KeyValue, Entry>>> entriesByPosition = new HashMap<>();
  /** Set when a document cannot be indexed (for example parallel arrays, which MongoDB itself refuses): scan instead. */
  private boolean unusable;
  /** Set once a document holds an array in a non-leading field: it would sit at several places in the order. */
  private boolean multikeyRest;

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

  SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
    super(name, keys, sparse);
    this.fields = FieldNames.of(keys);
    List<IndexKey> rest = keys.subList(1, keys.size());
    this.order = (a, b) -> {
      for (int i = 0; i < rest.size(); i++) {
        int compared = (rest.get(i).isAscending() ? ValueComparator.asc() : ValueComparator.desc()).compare(a.rest.get(i), b.rest.get(i));
        if (compared != 0) return compared;
      }
      return Integer.compare(a.position, b.position);
    };
  }

  private String leadingField() {
    return keys().get(0);
  }

  private static KeyValue normalized(Object value) {
    return new KeyValue(value).normalized();
  }

  @Override
  public Set<KeyValue> getKeyValues(Document document) {
    KeyValue key = TopLevelKeys.of(keys(), document);
    return key != null ? Set.of(key) : super.getKeyValues(document);
  }

  @Override
  public synchronized Integer getPosition(Document document) {
    return null;
  }

  @Override
  public void checkAdd(Document document, MongoCollection<Integer> collection) {}

  /** The document's entries, or null when it cannot be indexed. */
  private List<Map.Entry<KeyValue, Entry>> entriesOf(Document document, Integer position) {
    List<Map.Entry<KeyValue, Entry>> entries = new ArrayList<>();
    if (isSparse() && lacksEveryField(document)) return entries;
    try {
      for (KeyValue keyValue : getKeyValues(document)) {
        List<Object> rest = new ArrayList<>(keyValue.size());
        for (int i = 1; i < keyValue.size(); i++) rest.add(keyValue.get(i));
        entries.add(Map.entry(normalized(keyValue.get(0)), new Entry(rest, position)));
      }
    } catch (RuntimeException error) {
      return null;
    }
    return entries;
  }

  /** A sparse index, like MongoDB's, leaves out documents without any of its fields (checked for top-level fields). */
  private boolean lacksEveryField(Document document) {
    for (String field : keys()) if (field.indexOf('.') >= 0 || document.containsKey(field)) return false;
    return true;
  }

  @Override
  public synchronized void add(Document document, Integer position, MongoCollection<Integer> collection) {
    positionById.put(document.get("_id"), position);
    List<Map.Entry<KeyValue, Entry>> entries = entriesOf(document, position);
    if (entries == null) {
      unusable = true;
      return;
    }
    store(entries, position);
  }

  private void store(List<Map.Entry<KeyValue, Entry>> entries, Integer position) {
    if (entries.size() > 1 && new HashSet<>(entries.stream().map(Map.Entry::getKey).toList()).size() < entries.size()) multikeyRest = true;
    entriesByPosition.put(position, entries);
    for (Map.Entry<KeyValue, Entry> entry : entries) {
      entriesByValue.computeIfAbsent(entry.getKey(), ignored -> new TreeSet<>(order)).add(entry.getValue());
      positionsByValue.computeIfAbsent(entry.getKey(), ignored -> new TreeSet<>()).add(position);
    }
  }

  @Override
  public synchronized Integer remove(Document document) {
    Integer position = positionById.remove(document.get("_id"));
    if (position != null) forget(position);
    return position;
  }

  private void forget(Integer position) {
    List<Map.Entry<KeyValue, Entry>> entries = entriesByPosition.remove(position);
    if (entries == null) return;
    for (Map.Entry<KeyValue, Entry> entry : entries) {
      TreeSet<Entry> set = entriesByValue.get(entry.getKey());
      if (set != null && set.remove(entry.getValue()) && set.isEmpty()) entriesByValue.remove(entry.getKey());
      TreeSet<Integer> positions = positionsByValue.get(entry.getKey());
      if (positions != null && positions.remove(position) && positions.isEmpty()) positionsByValue.remove(entry.getKey());
    }
  }

  @Override
  public synchronized boolean canHandle(Document query) {
    // Null is never an equality value here (EqualityValues.isPlain), so a sparse index never misses what is asked.
    return !unusable && EqualityValues.in(query, leadingField()) != null;
  }

  private List<Entry> matching(Document query) {
    List<Entry> entries = new ArrayList<>();
    for (Object value : EqualityValues.in(query, leadingField())) entries.addAll(entriesByValue.getOrDefault(normalized(value), EMPTY));
    return entries;
  }

  /**
   * Unsorted queries get documents in position order, as a collection scan would return them; one value is read
   * lazily (the caller holds the collection's lock while it iterates), so a limit stops early.
   */
  @Override
  public synchronized Iterable<Integer> getPositions(Document query) {
    List<Object> values = EqualityValues.in(query, leadingField());
    if (values.size() == 1) return positionsByValue.getOrDefault(normalized(values.get(0)), new TreeSet<>());
    TreeSet<Integer> union = new TreeSet<>();
    for (Object value : values) union.addAll(positionsByValue.getOrDefault(normalized(value), new TreeSet<>()));
    return union;
  }

  /** True when a sort asks for the index order, false for its exact reverse, null when the index cannot give it. */
  synchronized Boolean servesSort(Document orderBy) {
    List<IndexKey> rest = getKeys().subList(1, getKeys().size());
    if (unusable || multikeyRest || orderBy == null || orderBy.isEmpty() || orderBy.size() > rest.size()) return null;
    Boolean reversed = null;
    int i = 0;
    for (Map.Entry<String, Object> sortKey : orderBy.entrySet()) {
      if (!(sortKey.getValue() instanceof Number direction) || !sortKey.getKey().equals(rest.get(i).getKey())) return null;
      boolean flipped = (direction.doubleValue() > 0) != rest.get(i++).isAscending();
      if (reversed == null) reversed = flipped;
      else if (reversed != flipped) return null;
    }
    return reversed;
  }

  /**
   * Positions in the index's order (or its reverse) for the queried values, so a limited sorted query stops early.
   * One value is read lazily straight from the index; the caller holds the collection's lock while it iterates.
   */
  synchronized Iterable<Integer> positionsInOrder(Document query, boolean reversed) {
    List<Object> values = EqualityValues.in(query, leadingField());
    if (values.size() == 1) {
      TreeSet<Entry> entries = entriesByValue.getOrDefault(normalized(values.get(0)), EMPTY);
      Iterable<Entry> ordered = reversed ? entries::descendingIterator : entries;
      return () -> new Iterator<>() {
        private final Iterator<Entry> inner = ordered.iterator();

        @Override
        public boolean hasNext() {
          return inner.hasNext();
        }

        @Override
        public Integer next() {
          return inner.next().position;
        }
      };
    }
    List<Entry> entries = matching(query);
    entries.sort(reversed ? order.reversed() : order);
    Set<Integer> positions = new LinkedHashSet<>();
    for (Entry entry : entries) positions.add(entry.position);
    return new ArrayList<>(positions);
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
    List<Map.Entry<KeyValue, Entry>> entries = entriesOf(newDocument, position);
    // Most updates leave the indexed fields alone: then the index stays as it is, as in MongoDB.
    if (entries != null && entries.equals(entriesByPosition.get(position))) return;
    forget(position);
    add(newDocument, position, collection);
  }

  @Override
  public synchronized void drop() {
    entriesByValue.clear();
    positionsByValue.clear();
    positionById.clear();
    entriesByPosition.clear();
  }
}
