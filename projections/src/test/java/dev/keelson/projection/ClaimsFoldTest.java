package dev.keelson.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.eventlog.EnvelopeCodec;
import dev.keelson.eventlog.LogRecord;
import dev.keelson.write.Objects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state + records = state': the claims of Services, held once, freed by deletes. */
class ClaimsFoldTest {

  private static final String IP = Claims.clusterIp("127.64.0.7");
  private static final ResourceKey A = ResourceKey.of("", "Service", "default", "a");
  private static final ResourceKey B = ResourceKey.of("", "Service", "default", "b");
  private static final ResourceKey OTHER_A = ResourceKey.of("", "Service", "other", "a");

  private final List<LogRecord> log = new ArrayList<>();
  private final ObjectStore state = new ObjectStore(0);

  private Verdict apply(Op op, Precondition precondition, ObjectNode object) {
    return ChangeFold.apply(state, TestRecords.append(log, op, precondition, object));
  }

  private Verdict create(ObjectNode object) {
    return apply(Op.CREATE, Precondition.mustBeAbsent(), object);
  }

  private static void assertAllocated(Verdict verdict, String message) {
    assertThat(verdict)
        .isInstanceOfSatisfying(
            Verdict.Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(Rejection.ALLOCATED);
              assertThat(r.message()).isEqualTo(message);
            });
  }

  @Test
  void theClaimsOfAServiceAreItsClusterIpsNodePortsAndProxyPorts() {
    assertThat(Claims.of(Objects.service("default", "a", "127.64.0.7", 30080, 20001)))
        .containsExactly("clusterIP/127.64.0.7", "nodePort/30080", "proxyPort/20001");
    ObjectNode headless = Objects.service("default", "h", "None", 0, 0);
    assertThat(Claims.of(headless)).isEmpty();
    ObjectNode external = Objects.service("default", "e", "127.64.0.9", 0, 0);
    ((ObjectNode) external.get("spec")).put("type", "ExternalName");
    assertThat(Claims.of(external)).isEmpty();
    ObjectNode zeros = Objects.service("default", "z", "127.064.000.010", 0, 0);
    assertThat(Claims.of(zeros)).containsExactly("clusterIP/127.64.0.10");
    ObjectNode twoProtocols = Objects.service("default", "dns", null, 30053, 0);
    ((ArrayNode) twoProtocols.path("spec").path("ports"))
        .addObject()
        .put("port", 80)
        .put("protocol", "UDP")
        .put("nodePort", 30053);
    assertThat(Claims.of(twoProtocols)).containsExactly("nodePort/30053");
    assertThat(Claims.of(Objects.configMap("default", "a", "clusterIP", "127.64.0.7"))).isEmpty();
  }

  @Test
  void aSecondClaimOfAHeldValueIsRejectedAndADeleteFreesIt() {
    assertThat(create(Objects.service("default", "a", "127.64.0.7", 30080, 20001)))
        .isInstanceOf(Verdict.Applied.class);
    assertAllocated(
        create(Objects.service("default", "b", "127.64.0.7", 0, 0)),
        "failed to allocate IP 127.64.0.7: provided IP is already allocated");
    assertAllocated(
        create(Objects.service("default", "b", "127.64.0.8", 30080, 0)),
        "failed to allocate node port 30080: provided port is already allocated");
    assertAllocated(
        create(Objects.service("default", "b", "127.64.0.8", 0, 20001)),
        "failed to allocate proxy port 20001: provided port is already allocated");
    assertThat(state.get(B)).isNull();
    assertThat(state.claimant(IP)).isEqualTo(A);

    // The holder keeps what it holds through its own updates; the others take what is free.
    assertThat(
            apply(
                Op.UPDATE,
                Precondition.atVersion("1"),
                Objects.service("default", "a", "127.64.0.7", 30081, 20001)))
        .isInstanceOf(Verdict.Applied.class);
    assertThat(state.claimant(Claims.nodePort(30080))).isNull();
    assertThat(state.claimant(Claims.nodePort(30081))).isEqualTo(A);
    assertThat(create(Objects.service("default", "b", "127.64.0.8", 30080, 20002)))
        .isInstanceOf(Verdict.Applied.class);
    Verdict grab =
        apply(
            Op.UPDATE,
            Precondition.none(),
            Objects.service("default", "b", "127.64.0.8", 30080, 20001));
    assertAllocated(
        grab, "failed to allocate proxy port 20001: provided port is already allocated");
    assertThat(((Verdict.Rejected) grab).current().key()).isEqualTo(B);
    assertThat(state.claimant(Claims.proxyPort(20002))).isEqualTo(B);

    assertThat(
            apply(
                Op.DELETE,
                Precondition.none(),
                Objects.service("default", "a", "127.64.0.7", 30081, 20001)))
        .isInstanceOf(Verdict.Applied.class);
    assertThat(state.claimant(IP)).isNull();
    assertThat(state.claimant(Claims.proxyPort(20001))).isNull();
    assertThat(create(Objects.service("default", "c", "127.64.0.7", 30081, 20001)))
        .isInstanceOf(Verdict.Applied.class);
    assertThat(state.claimant(IP)).isEqualTo(ResourceKey.of("", "Service", "default", "c"));
  }

  @Test
  void aProjectionRebuiltFromASnapshotOrTheLogHoldsTheSameClaims(@TempDir Path dir)
      throws Exception {
    create(Objects.service("default", "a", "127.64.0.7", 30080, 20001));
    create(Objects.service("default", "b", "127.64.0.7", 30081, 20002));
    create(Objects.service("default", "b", "127.64.0.8", 30081, 20002));
    apply(Op.DELETE, Precondition.none(), Objects.service("default", "a", null, 0, 0));
    create(Objects.service("other", "a", "127.64.0.7", 30080, 20003));
    List<String> claims =
        List.of(
            IP,
            Claims.clusterIp("127.64.0.8"),
            Claims.nodePort(30080),
            Claims.nodePort(30081),
            Claims.proxyPort(20001),
            Claims.proxyPort(20002),
            Claims.proxyPort(20003));

    SnapshotStore snapshots = new SnapshotStore(dir);
    snapshots.write("log", state);
    ObjectStore restored = snapshots.latest("log", state.revision()).orElseThrow();
    ObjectStore replayed = new ObjectStore(0);
    log.forEach(r -> ChangeFold.apply(replayed, r));

    List<ResourceKey> expected = new ArrayList<>();
    claims.forEach(c -> expected.add(state.claimant(c)));
    assertThat(expected).containsExactly(OTHER_A, B, OTHER_A, B, null, B, OTHER_A);
    for (ObjectStore other : List.of(restored, replayed)) {
      List<ResourceKey> holders = new ArrayList<>();
      claims.forEach(c -> holders.add(other.claimant(c)));
      assertThat(holders).isEqualTo(expected);
    }
    ObjectNode taking = Objects.service("default", "c", "127.64.0.8", 0, 0);
    ChangeEnvelope envelope =
        new ChangeEnvelope(Op.CREATE, Precondition.mustBeAbsent(), taking, null, null, null);
    LogRecord next =
        new LogRecord(
            restored.revision(), envelope.key().toString(), EnvelopeCodec.encode(envelope), 0);
    assertAllocated(
        ChangeFold.apply(restored, next),
        "failed to allocate IP 127.64.0.8: provided IP is already allocated");
  }

  @Test
  void valuesHeldTwiceByAnOlderLogAreHeldByBothWhateverTheOrder() {
    // A log written before claims were checked may give one IP to two Services.
    ObjectStore logOrder = new ObjectStore(0);
    ObjectStore keyOrder = new ObjectStore(0);
    StoredObject b = ChangeFold.stored(Objects.service("default", "b", "127.64.0.7", 0, 0), 1);
    StoredObject a = ChangeFold.stored(Objects.service("default", "a", "127.64.0.7", 0, 0), 2);
    logOrder.put(b);
    logOrder.put(a);
    keyOrder.put(a);
    keyOrder.put(b);
    for (ObjectStore store : List.of(logOrder, keyOrder)) {
      // Each keeps its own through an update; a third may not have it.
      assertThat(store.claimHeldElsewhere(a, a)).isNull();
      StoredObject c = ChangeFold.stored(Objects.service("default", "c", "127.64.0.7", 0, 0), 3);
      assertThat(store.claimHeldElsewhere(c, null)).isEqualTo(IP);
      store.remove(A);
      assertThat(store.claimant(IP)).isEqualTo(B);
      store.remove(B);
      assertThat(store.claimant(IP)).isNull();
    }
  }
}
