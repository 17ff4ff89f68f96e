package dev.keelson.projection;

import dev.keelson.api.ResourceKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Owner uid to the keys of the objects whose ownerReferences name it, across kinds: how the garbage
 * collector finds the dependents of an owner that goes, without a graph of its own. Most objects
 * have no owner, and most updates keep the owners they had, so most changes cost nothing here.
 */
final class OwnerIndex {

  private final Map<String, Set<ResourceKey>> dependents = new HashMap<>();

  /** Moves the entries of an object from its {@code before} to its {@code after} state. */
  void replace(StoredObject before, StoredObject after) {
    List<OwnerRef> old = before == null ? List.of() : before.owners();
    List<OwnerRef> now = after == null ? List.of() : after.owners();
    if (old.isEmpty() && now.isEmpty() || old.equals(now) && before.key().equals(after.key())) {
      return;
    }
    for (OwnerRef owner : old) {
      if (!names(now, owner.uid())) {
        Set<ResourceKey> keys = dependents.get(owner.uid());
        if (keys != null && keys.remove(before.key()) && keys.isEmpty()) {
          dependents.remove(owner.uid());
        }
      }
    }
    for (OwnerRef owner : now) {
      dependents.computeIfAbsent(owner.uid(), u -> new HashSet<>(4)).add(after.key());
    }
  }

  Set<ResourceKey> dependents(String ownerUid) {
    return dependents.getOrDefault(ownerUid, Set.of());
  }

  private static boolean names(List<OwnerRef> owners, String uid) {
    for (OwnerRef owner : owners) {
      if (owner.uid().equals(uid)) {
        return true;
      }
    }
    return false;
  }
}
