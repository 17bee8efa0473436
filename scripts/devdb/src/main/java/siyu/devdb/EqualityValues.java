package siyu.devdb;

import de.bwaldvogel.mongo.bson.Document;
import java.util.Collection;
import java.util.List;

/** The plain values a query condition asks a field to equal, or null when the condition is anything else. */
final class EqualityValues {
  private EqualityValues() {}

  static boolean isPlain(Object value) {
    return value != null && !(value instanceof Document) && !(value instanceof Collection) && !value.getClass().isArray()
        && !value.getClass().getSimpleName().contains("Regular") && !(value instanceof java.util.regex.Pattern);
  }

  /** {@code field: v} gives [v]; {@code field: {$in: [a, b]}} gives [a, b]; {@code field: {$all: [a, ...]}} gives [a]. */
  static List<Object> of(Object condition) {
    if (isPlain(condition)) return List.of(condition);
    if (!(condition instanceof Document document) || document.size() != 1) return null;
    Object operand = document.values().iterator().next();
    if (!(operand instanceof Collection<?> values) || values.isEmpty() || !values.stream().allMatch(EqualityValues::isPlain)) return null;
    String operator = document.keySet().iterator().next();
    if (operator.equals("$in")) return List.copyOf(values);
    if (operator.equals("$all")) return List.of(values.iterator().next());
    return null;
  }
}
