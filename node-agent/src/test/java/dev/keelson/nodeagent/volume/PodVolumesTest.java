package dev.keelson.nodeagent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keelson.api.Json;
import dev.keelson.nodeagent.pod.ConfigSource;
import dev.keelson.nodeagent.runtime.Mount;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodVolumesTest {

  @TempDir Path temp;

  private final Config config = new Config();

  /** ConfigMaps and Secrets held in memory, by name, all in the pod's namespace. */
  static final class Config implements ConfigSource {
    final Map<String, Map<String, String>> configMaps = new HashMap<>();
    final Map<String, Map<String, String>> secrets = new HashMap<>();

    @Override
    public Optional<Map<String, String>> configMap(String namespace, String name) {
      return namespace.equals("shop")
          ? Optional.ofNullable(configMaps.get(name))
          : Optional.empty();
    }

    @Override
    public Optional<Map<String, String>> secret(String namespace, String name) {
      return namespace.equals("shop") ? Optional.ofNullable(secrets.get(name)) : Optional.empty();
    }
  }

  /**
   * A pod of the namespace "shop" whose container "app" mounts {@code mounts} of {@code volumes}.
   */
  static JsonNode pod(String volumes, String mounts) throws IOException {
    return Json.yaml()
        .readTree(
            """
            metadata:
              name: web-1
              namespace: shop
              uid: 1234-abcd
              labels: {app: web, tier: "front \\"end\\""}
              annotations: {note: "two\\nlines"}
            spec:
              volumes: %s
              containers:
              - name: app
                image: keelson/busybox:1
                volumeMounts: %s
            """
                .formatted(volumes, mounts));
  }

  private Map<String, List<Mount>> prepare(JsonNode pod) {
    return PodVolumes.prepare(pod, temp.resolve("pod"), config);
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void anEmptyDirIsOneWritableDirectorySharedByEveryContainerOfThePod() throws IOException {
    JsonNode pod =
        Json.yaml()
            .readTree(
                """
                metadata: {name: web-1, namespace: shop, uid: u1}
                spec:
                  volumes: [{name: data, emptyDir: {medium: Memory}}]
                  initContainers:
                  - {name: setup, volumeMounts: [{name: data, mountPath: /init}]}
                  containers:
                  - {name: writer, volumeMounts: [{name: data, mountPath: /data}]}
                  - {name: reader, volumeMounts: [{name: data, mountPath: /in, readOnly: true}]}
                  - {name: plain}
                """);
    Map<String, List<Mount>> mounts = prepare(pod);

    Path dir = temp.resolve("pod/volumes/empty-dir/data").toAbsolutePath();
    assertThat(mounts).containsOnlyKeys("setup", "writer", "reader", "plain");
    assertThat(mounts.get("setup")).containsExactly(new Mount(dir.toString(), "/init", false));
    assertThat(mounts.get("writer")).containsExactly(new Mount(dir.toString(), "/data", false));
    assertThat(mounts.get("reader")).containsExactly(new Mount(dir.toString(), "/in", true));
    assertThat(mounts.get("plain")).isEmpty();
    assertThat(dir).isDirectory();
    assertThat(mode(dir)).isEqualTo("rwxrwxrwx");
  }

  @Test
  void aConfigMapVolumeHoldsEveryKeyWithTheDefaultModeAndIsReadOnly() throws IOException {
    config.configMaps.put("cfg", Map.of("app.conf", "port=80\n", "level", "debug"));
    // defaultMode 384 is 0600
    Map<String, List<Mount>> mounts =
        prepare(
            pod(
                "[{name: config, configMap: {name: cfg, defaultMode: 384}}]",
                "[{name: config, mountPath: /etc/app}]"));

    Path dir = temp.resolve("pod/volumes/configmap/config").toAbsolutePath();
    assertThat(mounts.get("app")).containsExactly(new Mount(dir.toString(), "/etc/app", true));
    assertThat(dir.resolve("app.conf")).hasContent("port=80\n");
    assertThat(dir.resolve("level")).hasContent("debug");
    assertThat(mode(dir.resolve("level"))).isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).hasSize(2);
    }
  }

  @Test
  void itemsProjectOnlyTheListedKeysUnderTheirPathsAndModes() throws IOException {
    config.configMaps.put("cfg", Map.of("a", "A", "b", "B", "c", "C"));
    // mode 256 is 0400; without a mode an item takes the default, 0644
    prepare(
        pod(
            "[{name: config, configMap: {name: cfg, items: [{key: a, path: nested/dir/a.txt, mode: 256}, {key: b, path: b.txt}]}}]",
            "[]"));

    Path dir = temp.resolve("pod/volumes/configmap/config");
    assertThat(dir.resolve("nested/dir/a.txt")).hasContent("A");
    assertThat(mode(dir.resolve("nested/dir/a.txt"))).isEqualTo("r--------");
    assertThat(dir.resolve("b.txt")).hasContent("B");
    assertThat(mode(dir.resolve("b.txt"))).isEqualTo("rw-r--r--");
    assertThat(mode(dir.resolve("nested"))).isEqualTo("rwxr-xr-x");
    assertThat(dir.resolve("a")).doesNotExist();
    assertThat(dir.resolve("c")).doesNotExist();
  }

  @Test
  void aSecretVolumeHoldsTheDecodedValues() throws IOException {
    config.secrets.put("creds", Map.of("password", "s3cr3t", "user", "admin"));
    Map<String, List<Mount>> mounts =
        prepare(
            pod(
                "[{name: creds, secret: {secretName: creds, items: [{key: password, path: pw}]}}]",
                "[{name: creds, mountPath: /run/creds}]"));

    Path dir = temp.resolve("pod/volumes/secret/creds");
    assertThat(dir.resolve("pw")).hasContent("s3cr3t");
    assertThat(dir.resolve("user")).doesNotExist();
    assertThat(mounts.get("app").get(0).readOnly()).isTrue();
  }

  @Test
  void anOptionalSourceThatIsMissingIsAnEmptyVolume() throws IOException {
    config.configMaps.put("partial", Map.of("there", "yes"));
    prepare(
        pod(
            """
            [{name: none, configMap: {name: absent, optional: true}},
             {name: nosecret, secret: {secretName: absent, optional: true}},
             {name: some, configMap: {name: partial, optional: true,
                items: [{key: there, path: there}, {key: gone, path: gone}]}}]
            """,
            "[{name: none, mountPath: /none}]"));

    Path volumes = temp.resolve("pod/volumes");
    try (var files = Files.list(volumes.resolve("configmap/none"))) {
      assertThat(files).isEmpty();
    }
    assertThat(volumes.resolve("secret/nosecret")).isEmptyDirectory();
    assertThat(volumes.resolve("configmap/some/there")).hasContent("yes");
    assertThat(volumes.resolve("configmap/some/gone")).doesNotExist();
  }

  @Test
  void aMissingSourceOrKeyThatIsNotOptionalIsAnError() throws IOException {
    config.configMaps.put("partial", Map.of("there", "yes"));
    assertThatThrownBy(() -> prepare(pod("[{name: config, configMap: {name: cfg}}]", "[]")))
        .isInstanceOf(VolumeException.class)
        .hasMessage("volume \"config\": configmap \"cfg\" not found");
    assertThatThrownBy(() -> prepare(pod("[{name: creds, secret: {secretName: db}}]", "[]")))
        .isInstanceOf(VolumeException.class)
        .hasMessage("volume \"creds\": secret \"db\" not found");
    assertThatThrownBy(
            () ->
                prepare(
                    pod(
                        "[{name: config, configMap: {name: partial, items: [{key: gone, path: g}]}}]",
                        "[]")))
        .isInstanceOf(VolumeException.class)
        .hasMessage("volume \"config\": configmap \"partial\" has no key \"gone\"");
  }

  @Test
  void anUnsupportedSourceOrAMountOfNoVolumeIsAnError() {
    assertThatThrownBy(
            () -> prepare(pod("[{name: data, persistentVolumeClaim: {claimName: c}}]", "[]")))
        .isInstanceOf(VolumeException.class)
        .hasMessage("volume \"data\": unsupported volume source persistentVolumeClaim");
    assertThatThrownBy(
            () ->
                prepare(
                    pod(
                        "[{name: data, projected: {sources: [{serviceAccountToken: {path: t}}]}}]",
                        "[]")))
        .hasMessage("volume \"data\": unsupported projected source serviceAccountToken");
    assertThatThrownBy(
            () -> prepare(pod("[{name: data, emptyDir: {}}]", "[{name: x, mountPath: /x}]")))
        .isInstanceOf(VolumeException.class)
        .hasMessage("volumeMount \"x\" of container \"app\" names no volume of the pod");
  }

  @Test
  void aDownwardApiVolumeWritesThePodsMetadataAsUpstreamFormatsIt() throws IOException {
    prepare(
        pod(
            """
            [{name: info, downwardAPI: {items: [
              {path: name, fieldRef: {fieldPath: metadata.name}},
              {path: ns, fieldRef: {fieldPath: metadata.namespace}},
              {path: uid, fieldRef: {fieldPath: metadata.uid}},
              {path: labels, fieldRef: {fieldPath: metadata.labels}},
              {path: annotations, fieldRef: {fieldPath: metadata.annotations}},
              {path: app, fieldRef: {fieldPath: "metadata.labels['app']"}}]}}]
            """,
            "[]"));

    Path dir = temp.resolve("pod/volumes/downward-api/info");
    assertThat(dir.resolve("name")).hasContent("web-1");
    assertThat(dir.resolve("ns")).hasContent("shop");
    assertThat(dir.resolve("uid")).hasContent("1234-abcd");
    assertThat(Files.readString(dir.resolve("labels")))
        .isEqualTo("app=\"web\"\ntier=\"front \\\"end\\\"\"");
    assertThat(Files.readString(dir.resolve("annotations"))).isEqualTo("note=\"two\\nlines\"");
    assertThat(dir.resolve("app")).hasContent("web");
    assertThatThrownBy(
            () ->
                prepare(
                    pod(
                        "[{name: info, downwardAPI: {items: [{path: ip, fieldRef: {fieldPath: status.podIP}}]}}]",
                        "[]")))
        .hasMessage("volume \"info\": downwardAPI field \"status.podIP\" is not supported");
  }

  @Test
  void aProjectedVolumeJoinsItsSources() throws IOException {
    config.configMaps.put("cfg", Map.of("a", "A"));
    config.secrets.put("creds", Map.of("pw", "P"));
    prepare(
        pod(
            """
            [{name: all, projected: {defaultMode: 288, sources: [
              {configMap: {name: cfg}},
              {secret: {name: creds, items: [{key: pw, path: secret/pw}]}},
              {downwardAPI: {items: [{path: pod, fieldRef: {fieldPath: metadata.name}}]}}]}}]
            """,
            "[]"));

    Path dir = temp.resolve("pod/volumes/projected/all");
    assertThat(dir.resolve("a")).hasContent("A");
    assertThat(dir.resolve("secret/pw")).hasContent("P");
    assertThat(dir.resolve("pod")).hasContent("web-1");
    assertThat(mode(dir.resolve("pod"))).as("288 is 0440").isEqualTo("r--r-----");
  }

  @Test
  void hostPathTypesAreCheckedAsUpstreamChecksThem() throws IOException {
    Path node = temp.resolve("node");
    Files.createDirectories(node.resolve("dir"));
    Files.writeString(node.resolve("file"), "x");
    Path socket = node.resolve("agent.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      assertThat(hostPath(node.resolve("dir"), "Directory")).isEqualTo(node.resolve("dir"));
      assertThat(hostPath(node.resolve("file"), "File")).isEqualTo(node.resolve("file"));
      assertThat(hostPath(socket, "Socket")).isEqualTo(socket);
      assertThat(hostPath(Path.of("/dev/null"), "CharDevice")).isEqualTo(Path.of("/dev/null"));
      assertThat(hostPath(node.resolve("not-yet"), "")).isEqualTo(node.resolve("not-yet"));

      assertThat(hostPath(node.resolve("made/dir"), "DirectoryOrCreate")).isDirectory();
      assertThat(mode(node.resolve("made/dir"))).isEqualTo("rwxr-xr-x");
      assertThat(hostPath(node.resolve("made/file"), "FileOrCreate")).isEmptyFile();
      assertThat(mode(node.resolve("made/file"))).isEqualTo("rw-r--r--");
      assertThat(hostPath(node.resolve("file"), "FileOrCreate")).hasContent("x");

      assertThatThrownBy(() -> hostPath(node.resolve("absent"), "Directory"))
          .isInstanceOf(VolumeException.class)
          .hasMessage(
              "volume \"host\": hostPath "
                  + node.resolve("absent")
                  + " does not exist (type Directory)");
      assertThatThrownBy(() -> hostPath(node.resolve("file"), "Directory"))
          .hasMessage(
              "volume \"host\": hostPath type check failed: "
                  + node.resolve("file")
                  + " is not a directory, it is a File");
      assertThatThrownBy(() -> hostPath(node.resolve("dir"), "FileOrCreate"))
          .hasMessageContaining("is not a file, it is a Directory");
      assertThatThrownBy(() -> hostPath(node.resolve("file"), "Socket"))
          .hasMessageContaining("is not a socket file");
      assertThatThrownBy(() -> hostPath(Path.of("/dev/null"), "BlockDevice"))
          .hasMessageContaining("is not a block device, it is a CharDevice");
      assertThatThrownBy(() -> hostPath(node.resolve("dir"), "Pipe"))
          .hasMessage("volume \"host\": hostPath type \"Pipe\" is not valid");
      assertThatThrownBy(() -> hostPath(Path.of("relative/dir"), ""))
          .hasMessage("volume \"host\": hostPath \"relative/dir\" must be an absolute path");
    }
  }

  /** The host path of container "app"'s mount of a hostPath volume of {@code type}. */
  private Path hostPath(Path path, String type) throws IOException {
    Map<String, List<Mount>> mounts =
        prepare(
            pod(
                "[{name: host, hostPath: {path: \"%s\", type: \"%s\"}}]".formatted(path, type),
                "[{name: host, mountPath: /host}]"));
    assertThat(mounts.get("app").get(0).readOnly()).isFalse();
    return Path.of(mounts.get("app").get(0).hostPath());
  }

  @Test
  void aSubPathIsMadeInTheVolumeAndMustStayInIt() throws IOException {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    String volumes = "[{name: data, emptyDir: {}}]";
    Map<String, List<Mount>> mounts =
        prepare(pod(volumes, "[{name: data, mountPath: /logs, subPath: app/logs}]"));

    Path dir = temp.resolve("pod/volumes/empty-dir/data").toRealPath();
    assertThat(mounts.get("app"))
        .containsExactly(new Mount(dir.resolve("app/logs").toString(), "/logs", false));
    assertThat(dir.resolve("app/logs")).isDirectory();
    assertThat(mode(dir.resolve("app/logs"))).as("the volume's mode").isEqualTo("rwxrwxrwx");

    assertThatThrownBy(
            () -> prepare(pod(volumes, "[{name: data, mountPath: /x, subPath: a/../../etc}]")))
        .isInstanceOf(VolumeException.class)
        .hasMessage(
            "volumeMount \"data\" of container \"app\": subPath \"a/../../etc\" must not contain \"..\"");
    assertThatThrownBy(() -> prepare(pod(volumes, "[{name: data, mountPath: /x, subPath: /etc}]")))
        .hasMessageContaining("must not be an absolute path");
    // A container could plant a symlink in its emptyDir; another mount of it must not follow it
    // out.
    Files.createSymbolicLink(dir.resolve("escape"), outside);
    assertThatThrownBy(
            () -> prepare(pod(volumes, "[{name: data, mountPath: /x, subPath: escape/new}]")))
        .isInstanceOf(VolumeException.class)
        .hasMessageContaining("subPath \"escape/new\" leads out of the volume");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void itemPathsThatLeaveTheVolumeAreRejected() throws IOException {
    config.configMaps.put("cfg", Map.of("a", "A"));
    for (String path : List.of("../../escaped", "/tmp/escaped", "..data", "x/../../escaped")) {
      assertThatThrownBy(
              () ->
                  prepare(
                      pod(
                          "[{name: config, configMap: {name: cfg, items: [{key: a, path: \"%s\"}]}}]"
                              .formatted(path),
                          "[]")))
          .isInstanceOf(VolumeException.class)
          .hasMessage(
              "volume \"config\": path \""
                  + path
                  + "\" must be relative and must not contain \"..\"");
    }
    assertThat(temp.resolve("pod/volumes/escaped")).doesNotExist();
    assertThat(temp.resolve("escaped")).doesNotExist();
  }

  @Test
  void preparingAgainBringsTheFilesUpToDateAndKeepsEmptyDirs() throws IOException {
    config.configMaps.put("cfg", Map.of("a", "one", "b", "two"));
    JsonNode pod =
        pod(
            "[{name: config, configMap: {name: cfg}}, {name: data, emptyDir: {}}]",
            "[{name: config, mountPath: /cfg}, {name: data, mountPath: /data}]");
    Map<String, List<Mount>> first = prepare(pod);
    Path dir = temp.resolve("pod/volumes/configmap/config");
    Files.writeString(temp.resolve("pod/volumes/empty-dir/data/kept"), "written by a container");

    config.configMaps.put("cfg", Map.of("a", "ONE", "c", "three"));
    assertThat(prepare(pod)).isEqualTo(first);
    assertThat(dir.resolve("a")).hasContent("ONE");
    assertThat(dir.resolve("c")).hasContent("three");
    assertThat(dir.resolve("b")).as("a key that is gone").doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files).as("no temporary files are left").hasSize(2);
    }
    assertThat(temp.resolve("pod/volumes/empty-dir/data/kept"))
        .hasContent("written by a container");
  }

  @Test
  void removeDeletesWhatWasPreparedAndNothingElse() throws IOException {
    config.configMaps.put("cfg", Map.of("a", "A"));
    Path node = Files.createDirectories(temp.resolve("node"));
    Files.writeString(node.resolve("keep"), "node data");
    prepare(
        pod(
            "[{name: config, configMap: {name: cfg}}, {name: data, emptyDir: {}},"
                + " {name: host, hostPath: {path: \""
                + node
                + "\", type: Directory}}]",
            "[{name: data, mountPath: /data, subPath: deep/er}]"));
    Path data = temp.resolve("pod/volumes/empty-dir/data");
    Files.createSymbolicLink(data.resolve("link"), node);
    Files.setPosixFilePermissions(
        data.resolve("deep"), PosixFilePermissions.fromString("r-x------"));

    PodVolumes.remove(temp.resolve("pod"));

    assertThat(temp.resolve("pod")).doesNotExist();
    assertThat(node.resolve("keep")).hasContent("node data");
    PodVolumes.remove(temp.resolve("pod"));
    Files.createDirectories(temp.resolve("other/volumes/x"));
    Files.writeString(temp.resolve("other/state"), "not a volume");
    PodVolumes.remove(temp.resolve("other"));
    assertThat(temp.resolve("other/volumes")).doesNotExist();
    assertThat(temp.resolve("other/state")).exists();
  }
}
