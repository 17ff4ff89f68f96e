package dev.keelson.api;

/** An API group and a kind: what a list or a watch is about. The core group is "". */
public record GroupKind(String group, String kind) {

  public static GroupKind core(String kind) {
    return new GroupKind("", kind);
  }

  @Override
  public String toString() {
    return group.isEmpty() ? kind : kind + "." + group;
  }
}
