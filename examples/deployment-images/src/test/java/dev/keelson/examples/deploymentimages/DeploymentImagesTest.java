package dev.keelson.examples.deploymentimages;

import static dev.keelson.examples.deploymentimages.ApiObjects.deployment;
import static dev.keelson.examples.deploymentimages.ApiObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.examples.deploymentimages.DeploymentImages.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fold alone: view + records = view', with the verdicts of docs/topics.md. */
class DeploymentImagesTest {

  private static final String WEB = "apps/Deployment/prod/web";

  private final DeploymentImages view =
      new DeploymentImages(DeploymentImages.State.empty("keelson.changes"));
  private final List<Outcome> outcomes = new ArrayList<>();

  @Test
  void onlyAppliedChangesOfDeploymentsCount() {
    append(WEB, "CREATE", null, deployment("prod", "web", "nginx:1.25"), "alice"); // rv 1
    append("/Pod/prod/web-1", "CREATE", null, pod("prod", "web-1", "nginx:1.25"), "kubelet");
    append(WEB, "UPDATE", "1", deployment("prod", "web", "nginx:1.26"), "bob"); // rv 3
    append(WEB, "UPDATE_STATUS", "3", deployment("prod", "web", "nginx:1.26"), "ctrl"); // rv 4
    append(WEB, "UPDATE", "3", deployment("prod", "web", "evil:1"), "mallory"); // stale
    append(WEB, "CREATE", null, deployment("prod", "web", "evil:2"), "mallory"); // exists
    append(WEB, "UPDATE", "4", deployment("prod", "web", "nginx:1.27", 5), "carol"); // rv 7
    append(WEB, "UPDATE", "7", deployment("prod", "web", "nginx:1.27", 1), "alice"); // rv 8
    append(WEB, "DELETE", "8", deployment("prod", "web", "nginx:1.27"), "alice"); // rv 9
    append(WEB, "UPDATE", "8", deployment("prod", "web", "evil:3"), "mallory"); // gone

    assertThat(outcomes)
        .containsExactly(
            Outcome.APPLIED,
            Outcome.OTHER_KIND,
            Outcome.APPLIED,
            Outcome.APPLIED,
            Outcome.REJECTED,
            Outcome.REJECTED,
            Outcome.APPLIED,
            Outcome.APPLIED,
            Outcome.APPLIED,
            Outcome.REJECTED);
    DeploymentImages.State state = view.state();
    assertThat(state.deployments().get("prod/web").history())
        .containsExactly(
            change(1, "alice", "nginx:1.25"),
            change(3, "bob", "nginx:1.26"),
            change(7, "carol", "nginx:1.27"),
            ImageChange.deletion(9, time(8), "alice"));
    assertThat(state.deployments().get("prod/web").resourceVersion()).isNull();
    assertThat(state.nextOffset()).isEqualTo(10);
    assertThat(state.rejected()).isEqualTo(3);
  }

  @Test
  void aDeploymentCreatedAgainAfterItsDeleteStartsAfresh() {
    append(WEB, "CREATE", null, deployment("prod", "web", "nginx:1.25"), "alice");
    append(WEB, "DELETE", "1", deployment("prod", "web", "nginx:1.25"), "alice");
    append(WEB, "CREATE", null, deployment("prod", "web", "nginx:1.25"), "erin");

    assertThat(view.state().deployments().get("prod/web").history())
        .containsExactly(
            change(1, "alice", "nginx:1.25"),
            ImageChange.deletion(2, time(1), "alice"),
            change(3, "erin", "nginx:1.25"));
    assertThat(view.state().deployments().get("prod/web").resourceVersion()).isEqualTo("3");
  }

  @Test
  void whatKeelsonWouldSkipIsSkipped() {
    append(WEB, "CREATE", null, deployment("prod", "web", "nginx:1.25"), "alice");
    view.apply(1, WEB, "not an envelope".getBytes(StandardCharsets.UTF_8), 0);
    // A record whose key is not its object's: Keelson skips it, whatever it says.
    byte[] other = envelope("UPDATE", "1", deployment("prod", "api", "evil:1"), "mallory", 2);
    view.apply(2, WEB, other, 0);
    byte[] badTime = envelope("UPDATE", "1", deployment("prod", "web", "evil:2"), "mallory", 3);
    ObjectNode tree = read(badTime);
    tree.put("time", "yesterday");
    view.apply(3, WEB, tree.toString().getBytes(StandardCharsets.UTF_8), 0);

    assertThat(view.state().skipped()).isEqualTo(3);
    assertThat(view.state().deployments().get("prod/web").history())
        .containsExactly(change(1, "alice", "nginx:1.25"));
    assertThat(view.state().deployments().get("prod/web").resourceVersion()).isEqualTo("1");
  }

  @Test
  void aRecordAlreadyCountedIsNotCountedAgain() {
    append(WEB, "CREATE", null, deployment("prod", "web", "nginx:1.25"), "alice");
    append(WEB, "UPDATE", "1", deployment("prod", "web", "nginx:1.26"), "bob");
    DeploymentImages.State before = view.state();

    Outcome again =
        view.apply(1, WEB, envelope("UPDATE", "1", deployment("prod", "web", "x"), "bob", 1), 0);

    assertThat(again).isEqualTo(Outcome.ALREADY_COUNTED);
    assertThat(view.state()).isEqualTo(before);
  }

  @Test
  void theViewFileGivesBackTheViewAndItsOffset(@TempDir Path dir) {
    append(WEB, "CREATE", null, deployment("prod", "web", "nginx:1.25"), "alice");
    append(WEB, "DELETE", "1", deployment("prod", "web", "nginx:1.25"), "alice");
    ViewFile file = new ViewFile(dir.resolve("view.json"));
    assertThat(file.load()).isEmpty();

    file.save(view.state());

    assertThat(file.load()).contains(view.state());
    assertThat(ImageTable.render(file.load().orElseThrow()))
        .contains("prod/web", "nginx:1.25", "alice", "(deleted)", "2 records read");
  }

  private void append(String key, String op, String version, ObjectNode object, String user) {
    long offset = view.state().nextOffset();
    outcomes.add(view.apply(offset, key, envelope(op, version, object, user, offset), 0));
  }

  /** An envelope as Keelson writes it; {@code version} null means "must be absent". */
  static byte[] envelope(String op, String version, ObjectNode object, String user, long offset) {
    ObjectNode envelope = ApiObjects.JSON.createObjectNode();
    envelope.put("op", op);
    ObjectNode precondition = envelope.putObject("precondition");
    if (version == null) {
      precondition.put("absent", true);
    } else {
      precondition.put("resourceVersion", version);
    }
    envelope.set("object", object);
    envelope.putObject("actor").put("user", user).putArray("groups").add("system:authenticated");
    envelope.put("requestId", "req-" + offset);
    envelope.put("time", time(offset));
    return envelope.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String time(long offset) {
    return "2026-11-23T10:%02d:00Z".formatted(offset);
  }

  private static ImageChange change(long revision, String user, String image) {
    return new ImageChange(revision, time(revision - 1), user, "main", image);
  }

  private static ObjectNode read(byte[] bytes) {
    try {
      return (ObjectNode) ApiObjects.JSON.readTree(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
