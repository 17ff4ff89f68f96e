package dev.keelson.projection;

import dev.keelson.api.ResourceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Claim to the keys of the objects that hold it (see {@link Claims}). The fold lets no object take
 * a claim another holds, so a claim has one holder; a log written before claims were checked may
 * have given one to several, and the index keeps them all, so that its state depends only on the
 * objects and not on the order in which they were put (a snapshot puts them in key order).
 */
final class ClaimIndex {

  private final Map<String, List<ResourceKey>> holders = new HashMap<>();

  /** Moves the claims of an object from its {@code before} to its {@code after} state. */
  void replace(StoredObject before, StoredObject after) {
    List<String> old = before == null ? List.of() : before.claims();
    List<String> now = after == null ? List.of() : after.claims();
    if (old.isEmpty() && now.isEmpty() || old.equals(now)) {
      return;
    }
    for (String claim : old) {
      if (!now.contains(claim)) {
        release(claim, before.key());
      }
    }
    for (String claim : now) {
      if (!old.contains(claim)) {
        hold(claim, after.key());
      }
    }
  }

  /** A holder of {@code claim}, or null when it is free. */
  ResourceKey claimant(String claim) {
    List<ResourceKey> keys = holders.get(claim);
    return keys == null ? null : keys.get(0);
  }

  /**
   * The first claim of {@code candidate} that it does not hold already as {@code current} and that
   * another object holds; null when it takes nothing held.
   */
  String heldElsewhere(StoredObject candidate, StoredObject current) {
    for (String claim : candidate.claims()) {
      if (current != null && current.claims().contains(claim)) {
        continue;
      }
      List<ResourceKey> keys = holders.get(claim);
      if (keys != null) {
        for (ResourceKey key : keys) {
          if (!key.equals(candidate.key())) {
            return claim;
          }
        }
      }
    }
    return null;
  }

  private void hold(String claim, ResourceKey key) {
    List<ResourceKey> keys = holders.get(claim);
    if (keys == null) {
      holders.put(claim, List.of(key));
    } else if (!keys.contains(key)) {
      List<ResourceKey> more = new ArrayList<>(keys);
      more.add(key);
      holders.put(claim, List.copyOf(more));
    }
  }

  private void release(String claim, ResourceKey key) {
    List<ResourceKey> keys = holders.get(claim);
    if (keys == null || !keys.contains(key)) {
      return;
    }
    if (keys.size() == 1) {
      holders.remove(claim);
    } else {
      List<ResourceKey> fewer = new ArrayList<>(keys);
      fewer.remove(key);
      holders.put(claim, List.copyOf(fewer));
    }
  }
}
