package siyu.devdb;

import de.bwaldvogel.mongo.bson.Document;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The plain values a query asks a field to equal, as an index can look them up; null when it asks anything else. */
final class EqualityValues {
  private EqualityValues() {}

  static boolean isPlain(Object value) {
    return value != null && !(value instanceof Document) && !(value instanceof Collection) && !value.getClass().isArray()
        && !value.getClass().getSimpleName().contains("Regular") && !(value instanceof java.util.regex.Pattern);
  }

  /** The conditions on a field, at the top level and inside (nested) top-level $and clauses, which all must hold. */
  static List<Object> conditionsOn(Document query, String field) {
    List<Object> conditions = new ArrayList<>();
    if (query.containsKey(field)) conditions.add(query.get(field));
    if (query.get("$and") instanceof Collection<?> clauses) {
      for (Object clause : clauses) if (clause instanceof Document document) conditions.addAll(conditionsOn(document, field));
    }
    return conditions;
  }

  /** The first condition on the field that is an equality: {@code v} gives [v], {@code $in} its values, {@code $all} its first. */
  static List<Object> in(Document query, String field) {
    for (Object condition : conditionsOn(query, field)) {
      List<Object> values = of(condition);
      if (values != null) return values;
    }
    return null;
  }

  private static List<Object> of(Object condition) {
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
