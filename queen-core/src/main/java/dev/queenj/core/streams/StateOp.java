package dev.queenj.core.streams;

/** One state operation of a cycle: an upsert of {@code valueJson} (JSON text), or a delete ({@code valueJson} null). */
public record StateOp(String key, String valueJson) {
  public static StateOp upsert(String key, String valueJson) {
    return new StateOp(key, valueJson);
  }

  public static StateOp delete(String key) {
    return new StateOp(key, null);
  }

  public boolean isDelete() {
    return valueJson == null;
  }
}
