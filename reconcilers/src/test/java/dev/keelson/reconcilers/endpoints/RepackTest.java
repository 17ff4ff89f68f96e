package dev.keelson.reconcilers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.reconcilers.endpoints.Repack.Address;
import dev.keelson.reconcilers.endpoints.Repack.Port;
import dev.keelson.reconcilers.endpoints.Repack.Subset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepackTest {

  static Address address(String ip, String pod) {
    return new Address(ip, null, "n", "ns", pod, "uid-" + pod);
  }

  static final Port P80 = new Port("http", 80, "TCP", null);
  static final Port P443 = new Port("https", 443, "TCP", null);

  @Test
  void addressesWithTheSamePortSetsAreMergedAndDuplicatesRemoved() {
    Address a = address("10.0.0.1", "a");
    Address b = address("10.0.0.2", "b");
    List<Subset> input =
        List.of(
            new Subset(List.of(b), List.of(), List.of(P80)),
            new Subset(List.of(a), List.of(), List.of(P443)),
            new Subset(List.of(a), List.of(), List.of(P80)),
            new Subset(List.of(b), List.of(), List.of(P443)),
            new Subset(List.of(a), List.of(), List.of(P80)));

    assertThat(Repack.repack(input))
        .containsExactly(new Subset(List.of(a, b), List.of(), List.of(P80, P443)));
  }

  @Test
  void readyOnAPortWinsOverNotReadyOnTheSamePort() {
    Address a = address("10.0.0.1", "a");

    assertThat(
            Repack.repack(
                List.of(
                    new Subset(List.of(), List.of(a), List.of(P80)),
                    new Subset(List.of(a), List.of(), List.of(P80)))))
        .containsExactly(new Subset(List.of(a), List.of(), List.of(P80)));
  }

  @Test
  void theSameAddressOfTwoPodsStaysTwoAddresses() {
    // Pods on one node share its IP: they are told apart by uid.
    Address a = address("10.0.0.1", "a");
    Address b = address("10.0.0.1", "b");

    assertThat(
            Repack.repack(
                List.of(
                    new Subset(List.of(a), List.of(), List.of(P80)),
                    new Subset(List.of(), List.of(b), List.of(P80)))))
        .containsExactly(new Subset(List.of(a), List.of(b), List.of(P80)));
  }

  @Test
  void theOrderOfTheInputDoesNotChangeTheResult() {
    Address a = address("10.0.0.1", "a");
    Address b = address("10.0.0.2", "b");
    List<Subset> one =
        List.of(
            new Subset(List.of(a), List.of(), List.of(P80)),
            new Subset(List.of(b), List.of(), List.of(P443)));
    List<Subset> other = List.of(one.get(1), one.get(0));

    assertThat(Repack.repack(one)).isEqualTo(Repack.repack(other)).hasSize(2);
  }

  @Test
  void addressesWithoutPortsKeepASubsetWithoutPorts() {
    Address a = address("10.0.0.1", "a");

    assertThat(Repack.repack(List.of(new Subset(List.of(a), List.of(), List.of()))))
        .containsExactly(new Subset(List.of(a), List.of(), List.of()));
  }
}
