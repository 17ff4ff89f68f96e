package dev.keelson.reconcilers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Meta;
import dev.keelson.api.selector.LabelSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's ControllerRefManager decision: of the objects an owner might control, which it keeps,
 * which orphans it adopts (they match its selector) and which of its own it releases (they no
 * longer match). An owner being deleted neither adopts nor releases; objects being deleted are not
 * adopted; objects controlled by another owner are left alone.
 *
 * @param owned controlled by the owner and matching its selector
 * @param adopt orphans to adopt (they join the owned ones once adopted)
 * @param release controlled by the owner but no longer matching
 */
public record Claims(List<JsonNode> owned, List<JsonNode> adopt, List<JsonNode> release) {

  public static Claims of(
      JsonNode owner, LabelSelector selector, List<? extends JsonNode> objects) {
    String uid = Meta.uid(owner);
    boolean ownerDeleting = Owners.deleting(owner);
    List<JsonNode> owned = new ArrayList<>();
    List<JsonNode> adopt = new ArrayList<>();
    List<JsonNode> release = new ArrayList<>();
    for (JsonNode object : objects) {
      boolean matches = !selector.isEverything() && selector.matches(Meta.labels(object));
      String controller = Owners.controllerUid(object);
      if (!controller.isEmpty()) {
        if (!controller.equals(uid)) {
          continue;
        }
        if (matches) {
          owned.add(object);
        } else if (!ownerDeleting) {
          release.add(object);
        }
      } else if (matches
          && !ownerDeleting
          && !Owners.deleting(object)
          && Meta.namespace(owner).equals(Meta.namespace(object))) {
        adopt.add(object);
      }
    }
    return new Claims(List.copyOf(owned), List.copyOf(adopt), List.copyOf(release));
  }
}
