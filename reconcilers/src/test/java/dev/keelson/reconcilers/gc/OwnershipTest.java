package dev.keelson.reconcilers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.projection.OwnerRef;
import dev.keelson.reconcilers.gc.Ownership.Delete;
import dev.keelson.reconcilers.gc.Ownership.Keep;
import dev.keelson.reconcilers.gc.Ownership.OwnerState;
import dev.keelson.reconcilers.gc.Ownership.RemoveOwners;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The collector's decisions for a dependent, and for an owner waiting in the foreground. */
class OwnershipTest {

  private static OwnerRef owner(String uid, boolean blocking) {
    return new OwnerRef("apps/v1", "ReplicaSet", "rs-" + uid, uid, true, blocking);
  }

  private static Ownership.DependentAction decide(
      List<OwnerRef> owners, Map<String, OwnerState> states) {
    return Ownership.forDependent(owners, states, DeletionState.LIVE, false, false);
  }

  @Test
  void anObjectWhoseOwnersAreAllGoneIsDeletedInTheBackground() {
    List<OwnerRef> owners = List.of(owner("a", true), owner("b", false));
    assertThat(decide(owners, Map.of("a", OwnerState.DANGLING, "b", OwnerState.DANGLING)))
        .isEqualTo(new Delete("Background", false));
  }

  @Test
  void aDanglingObjectKeepsThePolicyItsOwnFinalizersAskFor() {
    List<OwnerRef> owners = List.of(owner("a", true));
    Map<String, OwnerState> gone = Map.of("a", OwnerState.DANGLING);
    assertThat(
            Ownership.forDependent(
                owners, gone, new DeletionState(false, List.of("orphan")), true, false))
        .isEqualTo(new Delete("Orphan", false));
    assertThat(
            Ownership.forDependent(
                owners, gone, new DeletionState(false, List.of("foregroundDeletion")), true, false))
        .isEqualTo(new Delete("Foreground", false));
  }

  @Test
  void anObjectWithASolidOwnerStaysAndDropsItsReferencesToOwnersThatWentOrWait() {
    List<OwnerRef> owners = List.of(owner("a", true), owner("b", true), owner("c", true));
    assertThat(
            decide(
                owners,
                Map.of("a", OwnerState.SOLID, "b", OwnerState.SOLID, "c", OwnerState.SOLID)))
        .isEqualTo(new Keep());
    assertThat(
            decide(
                owners,
                Map.of("a", OwnerState.DANGLING, "b", OwnerState.SOLID, "c", OwnerState.WAITING)))
        .isEqualTo(new RemoveOwners(Set.of("a", "c")));
  }

  @Test
  void anObjectWhoseOwnerWaitsGoesInTheForegroundWhenItHasDependentsItself() {
    List<OwnerRef> owners = List.of(owner("a", true), owner("b", true));
    Map<String, OwnerState> states = Map.of("a", OwnerState.WAITING, "b", OwnerState.DANGLING);
    assertThat(Ownership.forDependent(owners, states, DeletionState.LIVE, true, false))
        .isEqualTo(new Delete("Foreground", false));
    assertThat(Ownership.forDependent(owners, states, DeletionState.LIVE, false, false))
        .isEqualTo(new Delete("Background", false));
  }

  @Test
  void aPossibleCycleOfForegroundDeletionsIsBrokenByUnblockingTheObjectsOwners() {
    List<OwnerRef> owners = List.of(owner("a", true));
    assertThat(
            Ownership.forDependent(
                owners, Map.of("a", OwnerState.WAITING), DeletionState.LIVE, true, true))
        .isEqualTo(new Delete("Foreground", true));
  }

  @Test
  void aClusterScopedObjectNamingANamespacedOwnerIsLeftAlone() {
    List<OwnerRef> owners = List.of(owner("a", true), owner("b", true));
    assertThat(decide(owners, Map.of("a", OwnerState.INVALID, "b", OwnerState.DANGLING)))
        .isEqualTo(new Keep());
  }

  @Test
  void onlyReferencesWithBlockOwnerDeletionHoldAnOwnerInTheForeground() {
    record Dependent(String name, List<OwnerRef> owners) {}
    List<Dependent> dependents =
        List.of(
            new Dependent("blocks", List.of(owner("x", true))),
            new Dependent("does-not-block", List.of(owner("x", false))),
            new Dependent("blocks-another", List.of(owner("y", true), owner("x", false))));
    assertThat(Ownership.blocking("x", dependents, Dependent::owners))
        .extracting(Dependent::name)
        .containsExactly("blocks");
    assertThat(Ownership.blocking("y", dependents, Dependent::owners))
        .extracting(Dependent::name)
        .containsExactly("blocks-another");
    assertThat(Ownership.blocking("z", dependents, Dependent::owners)).isEmpty();
  }
}
