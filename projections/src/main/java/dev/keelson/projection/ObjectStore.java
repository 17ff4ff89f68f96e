package dev.keelson.projection;

import dev.keelson.api.GroupKind;
import dev.keelson.api.ResourceKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The state a projection folds the log into: objects by kind, namespace and name, in key order,
 * with indexes by label and by field selector, and across kinds by owner uid and by claim. Not
 * thread-safe: {@link LogProjection} guards it, and only {@link ChangeFold} changes it.
 */
final class ObjectStore {

  private final Map<GroupKind, KindTable> kinds = new HashMap<>();
  private final OwnerIndex owners = new OwnerIndex();
  private final ClaimIndex claims = new ClaimIndex();
  private final HistoryIndex history;
  private long revision;
  private long skipped;

  /** A state at {@code revision} that indexes the history of every key. */
  ObjectStore(long revision) {
    this(revision, true);
  }

  private ObjectStore(long revision, boolean history) {
    this.revision = revision;
    this.history = history ? new HistoryIndex() : null;
  }

  /**
   * A state that keeps no history index: for a fold whose history nobody asks (a watch's replay, a
   * last-writer-wins topic, whose compaction drops the records an index would point at).
   */
  static ObjectStore withoutHistory(long revision) {
    return new ObjectStore(revision, false);
  }

  /** The revision up to which the log has been applied: the offset of the next record. */
  long revision() {
    return revision;
  }

  long skipped() {
    return skipped;
  }

  /** Moves to {@code revision}, the fold having decided {@code verdict} for its record. */
  void advance(long revision, Verdict verdict) {
    this.revision = revision;
    if (verdict instanceof Verdict.Skipped) {
      skipped++;
    } else if (history != null) {
      history.record(verdict);
    }
  }

  /** The history index, or null when this state keeps none. */
  HistoryIndex history() {
    return history;
  }

  void restoreSkipped(long skipped) {
    this.skipped = skipped;
  }

  StoredObject get(ResourceKey key) {
    KindTable table = kinds.get(key.groupKind());
    return table == null ? null : table.get(key.namespace(), key.name());
  }

  void put(StoredObject object) {
    StoredObject previous =
        kinds.computeIfAbsent(object.key().groupKind(), k -> new KindTable()).put(object);
    owners.replace(previous, object);
    claims.replace(previous, object);
  }

  void remove(ResourceKey key) {
    KindTable table = kinds.get(key.groupKind());
    if (table != null) {
      StoredObject removed = table.remove(key);
      owners.replace(removed, null);
      claims.replace(removed, null);
    }
  }

  /** The key of an object that holds {@code claim}, or null when none does. */
  ResourceKey claimant(String claim) {
    return claims.claimant(claim);
  }

  /**
   * A claim {@code candidate} would take from another object (one that its {@code current} state,
   * if any, does not hold already), or null when it takes none.
   */
  String claimHeldElsewhere(StoredObject candidate, StoredObject current) {
    return claims.heldElsewhere(candidate, current);
  }

  /**
   * The objects of a kind (of every kind when the query names none), in key order, that match every
   * given label and field.
   */
  List<StoredObject> list(ListQuery query) {
    if (query.kind() == null) {
      List<StoredObject> result = new ArrayList<>();
      for (StoredObject object : all()) {
        if (query.matches(object)) {
          result.add(object);
        }
      }
      return result;
    }
    KindTable table = kinds.get(query.kind());
    return table == null ? List.of() : table.list(query);
  }

  /** The objects, of any kind, whose ownerReferences name {@code ownerUid}, in key order. */
  List<StoredObject> dependents(String ownerUid) {
    List<StoredObject> result = new ArrayList<>();
    for (ResourceKey key : owners.dependents(ownerUid)) {
      StoredObject object = get(key);
      if (object != null) {
        result.add(object);
      }
    }
    result.sort((a, b) -> a.key().compareTo(b.key()));
    return result;
  }

  int size() {
    int size = 0;
    for (KindTable table : kinds.values()) {
      size += table.size;
    }
    return size;
  }

  /** Every object, in key order. */
  List<StoredObject> all() {
    List<StoredObject> all = new ArrayList<>(size());
    kinds.entrySet().stream()
        .sorted(
            (a, b) -> {
              int c = a.getKey().group().compareTo(b.getKey().group());
              return c != 0 ? c : a.getKey().kind().compareTo(b.getKey().kind());
            })
        .forEach(e -> e.getValue().byNamespace.values().forEach(m -> all.addAll(m.values())));
    return all;
  }

  private static final NavigableMap<String, StoredObject> EMPTY = new TreeMap<>();

  private static final class KindTable {
    final NavigableMap<String, NavigableMap<String, StoredObject>> byNamespace = new TreeMap<>();
    final Map<String, Set<ResourceKey>> byLabel = new HashMap<>();
    final Map<String, Set<ResourceKey>> byField = new HashMap<>();
    int size;

    StoredObject get(String namespace, String name) {
      NavigableMap<String, StoredObject> names = byNamespace.get(namespace);
      return names == null ? null : names.get(name);
    }

    /** Puts the object, and returns the one it replaced (or null). */
    StoredObject put(StoredObject object) {
      ResourceKey key = object.key();
      StoredObject previous =
          byNamespace
              .computeIfAbsent(key.namespace(), n -> new TreeMap<>())
              .put(key.name(), object);
      if (previous == null) {
        size++;
        index(object);
      } else {
        reindex(previous, object);
      }
      return previous;
    }

    /** Removes the object, and returns it (or null if there was none). */
    StoredObject remove(ResourceKey key) {
      NavigableMap<String, StoredObject> names = byNamespace.get(key.namespace());
      if (names == null) {
        return null;
      }
      StoredObject previous = names.remove(key.name());
      if (previous != null) {
        size--;
        unindex(previous);
        if (names.isEmpty()) {
          byNamespace.remove(key.namespace());
        }
      }
      return previous;
    }

    List<StoredObject> list(ListQuery query) {
      Set<ResourceKey> candidates = smallestIndexHit(query);
      List<StoredObject> result = new ArrayList<>();
      if (candidates != null) {
        for (ResourceKey key : candidates) {
          StoredObject object = get(key.namespace(), key.name());
          if (object != null && query.matches(object)) {
            result.add(object);
          }
        }
        result.sort((a, b) -> a.key().compareTo(b.key()));
        return result;
      }
      String name = query.fields().get("metadata.name");
      if (name != null) {
        Collection<NavigableMap<String, StoredObject>> scope =
            query.namespace() == null
                ? byNamespace.values()
                : List.of(byNamespace.getOrDefault(query.namespace(), EMPTY));
        for (NavigableMap<String, StoredObject> names : scope) {
          StoredObject object = names.get(name);
          if (object != null && query.matches(object)) {
            result.add(object);
          }
        }
        return result;
      }
      Collection<NavigableMap<String, StoredObject>> scope;
      if (query.namespace() == null) {
        scope = byNamespace.values();
      } else {
        NavigableMap<String, StoredObject> names = byNamespace.get(query.namespace());
        scope = names == null ? List.of() : List.of(names);
      }
      for (NavigableMap<String, StoredObject> names : scope) {
        for (StoredObject object : names.values()) {
          if (query.matches(object)) {
            result.add(object);
          }
        }
      }
      return result;
    }

    /** The smallest set of keys an equality selector points at, or null if none is given. */
    private Set<ResourceKey> smallestIndexHit(ListQuery query) {
      Set<ResourceKey> best = null;
      for (Map.Entry<String, String> e : query.labels().entrySet()) {
        Set<ResourceKey> hit = byLabel.getOrDefault(e.getKey() + "=" + e.getValue(), Set.of());
        if (best == null || hit.size() < best.size()) {
          best = hit;
        }
      }
      for (Map.Entry<String, String> e : query.fields().entrySet()) {
        if (!indexedField(e.getKey())) {
          continue;
        }
        Set<ResourceKey> hit = byField.getOrDefault(e.getKey() + "=" + e.getValue(), Set.of());
        if (best == null || hit.size() < best.size()) {
          best = hit;
        }
      }
      return best;
    }

    private void index(StoredObject object) {
      object.labels().forEach((k, v) -> add(byLabel, k + "=" + v, object.key()));
      object
          .fields()
          .forEach(
              (k, v) -> {
                if (indexedField(k)) {
                  add(byField, k + "=" + v, object.key());
                }
              });
    }

    private void unindex(StoredObject object) {
      object.labels().forEach((k, v) -> drop(byLabel, k + "=" + v, object.key()));
      object
          .fields()
          .forEach(
              (k, v) -> {
                if (indexedField(k)) {
                  drop(byField, k + "=" + v, object.key());
                }
              });
    }

    /** Moves only the index entries that changed: most updates change no label or field. */
    private void reindex(StoredObject before, StoredObject after) {
      ResourceKey key = after.key();
      before
          .labels()
          .forEach(
              (k, v) -> {
                if (!v.equals(after.labels().get(k))) drop(byLabel, k + "=" + v, key);
              });
      after
          .labels()
          .forEach(
              (k, v) -> {
                if (!v.equals(before.labels().get(k))) add(byLabel, k + "=" + v, key);
              });
      before
          .fields()
          .forEach(
              (k, v) -> {
                if (indexedField(k) && !v.equals(after.fields().get(k)))
                  drop(byField, k + "=" + v, key);
              });
      after
          .fields()
          .forEach(
              (k, v) -> {
                if (indexedField(k) && !v.equals(before.fields().get(k)))
                  add(byField, k + "=" + v, key);
              });
    }

    /** Name and namespace are the table's own structure; every other field has an index. */
    private static boolean indexedField(String field) {
      return !field.equals("metadata.name") && !field.equals("metadata.namespace");
    }

    private static void add(Map<String, Set<ResourceKey>> index, String entry, ResourceKey key) {
      index.computeIfAbsent(entry, e -> new HashSet<>()).add(key);
    }

    private static void drop(Map<String, Set<ResourceKey>> index, String entry, ResourceKey key) {
      Set<ResourceKey> keys = index.get(entry);
      if (keys != null && keys.remove(key) && keys.isEmpty()) {
        index.remove(entry);
      }
    }
  }
}
