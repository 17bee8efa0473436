package siyu.devdb;

import de.bwaldvogel.mongo.backend.IndexKey;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An index's field names, worked out once. */
record FieldNames(List<String> list, Set<String> set) {
  static FieldNames of(List<IndexKey> keys) {
    List<String> names = keys.stream().map(IndexKey::getKey).toList();
    return new FieldNames(names, Collections.unmodifiableSet(new LinkedHashSet<>(names)));
  }
}
