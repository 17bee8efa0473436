package siyu.devdb;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The index key of a document whose indexed fields are all top-level plain values, as the library's
 * {@code Index.getKeyValues} would compute it, without parsing each path with a regular expression on every write;
 * that parsing was the stand-in's largest cost under write load. Null for anything else (dotted paths, arrays,
 * subdocuments), which the library handles.
 */
final class TopLevelKeys {
  private TopLevelKeys() {}

  static KeyValue of(List<String> keys, Document document) {
    List<Object> values = new ArrayList<>(keys.size());
    for (String key : keys) {
      if (key.indexOf('.') >= 0 || key.startsWith("$")) return null;
      Object value = normalized(document.getOrMissing(key));
      if (value == UNSUPPORTED) return null;
      values.add(value);
    }
    return new KeyValue(values);
  }

  private static final Object UNSUPPORTED = new Object();

  /** The library's {@code Utils.normalizeValue} for plain values: numbers compare as doubles, missing as null. */
  private static Object normalized(Object value) {
    if (value == null || value instanceof Missing) return null;
    if (value instanceof String || value instanceof ObjectId || value instanceof Boolean || value instanceof Instant) return value;
    if (value instanceof Long number && (long) (double) number != number) return number;
    if (value instanceof Integer || value instanceof Long || value instanceof Double) {
      double number = ((Number) value).doubleValue();
      return number == 0.0 ? 0.0 : number;
    }
    return UNSUPPORTED;
  }
}
