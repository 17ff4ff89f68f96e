package dev.keelson.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fabric8 Kubernetes client, unchanged, against the API: typed CRUD, selectors, watch,
 * optimistic concurrency, patch and an informer (paged list, then watch with bookmarks).
 */
class Fabric8ClientIT {

  @TempDir static Path dir;
  private static ApiFixture api;
  private static KubernetesClient client;

  /** Every request URI the client sent, to see how it talked to the server. */
  private static final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    api = ApiFixture.start(dir);
    // Config.empty(): nothing from ~/.kube or the environment leaks into the test.
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(api.base())
            .withCaCertData(
                Base64.getEncoder()
                    .encodeToString(
                        api.certificates.caCertificatePem().getBytes(StandardCharsets.UTF_8)))
            .withOauthToken(api.token)
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    client =
        new KubernetesClientBuilder()
            .withConfig(config)
            .withHttpClientBuilderConsumer(
                builder ->
                    builder.addOrReplaceInterceptor(
                        "record",
                        new Interceptor() {
                          @Override
                          public void before(
                              BasicBuilder request, HttpRequest sent, RequestTags tags) {
                            requests.add(sent.uri().toString());
                          }
                        }))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    api.close();
  }

  private static NonNamespaceOperation<ConfigMap, ConfigMapList, Resource<ConfigMap>> configMaps() {
    return client.configMaps().inNamespace("default");
  }

  private static ConfigMap configMap(String name, Map<String, String> labels) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).sorted().toList();
  }

  @Test
  void configMapCreateGetEditUpdateDelete() {
    ConfigMap created = configMaps().resource(configMap("f8-crud", Map.of("app", "crud"))).create();
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
    assertThat(created.getMetadata().getResourceVersion()).isNotEmpty();

    ConfigMap got = configMaps().withName("f8-crud").get();
    assertThat(got.getData()).containsExactly(Map.entry("k", "v"));
    assertThat(got.getMetadata().getResourceVersion())
        .isEqualTo(created.getMetadata().getResourceVersion());

    ConfigMap edited =
        configMaps()
            .withName("f8-crud")
            .edit(cm -> new ConfigMapBuilder(cm).addToData("edited", "yes").build());
    assertThat(edited.getData()).containsEntry("edited", "yes").containsEntry("k", "v");

    ConfigMap replacement = new ConfigMapBuilder(edited).addToData("updated", "yes").build();
    ConfigMap updated = configMaps().resource(replacement).update();
    assertThat(updated.getData()).containsEntry("updated", "yes");
    assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
        .isGreaterThan(Long.parseLong(edited.getMetadata().getResourceVersion()));

    List<StatusDetails> deleted = configMaps().withName("f8-crud").delete();
    assertThat(deleted).extracting(StatusDetails::getName).containsExactly("f8-crud");
    assertThat(configMaps().withName("f8-crud").get()).isNull();
    assertThat(configMaps().withName("f8-crud").delete()).isEmpty();
  }

  @Test
  void deploymentCreateGetEditScaleDelete() {
    Deployment deployment =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("f8-web")
            .addToLabels("app", "f8-web")
            .endMetadata()
            .withNewSpec()
            .withReplicas(1)
            .withNewSelector()
            .addToMatchLabels("app", "f8-web")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "f8-web")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("web")
            .withImage("nginx:1.27")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    var deployments = client.apps().deployments().inNamespace("default");
    Deployment created = deployments.resource(deployment).create();
    assertThat(created.getApiVersion()).isEqualTo("apps/v1");
    assertThat(created.getMetadata().getUid()).isNotEmpty();

    Deployment got = deployments.withName("f8-web").get();
    assertThat(got.getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getImage())
        .containsExactly("nginx:1.27");

    Deployment edited =
        deployments
            .withName("f8-web")
            .edit(
                d ->
                    new DeploymentBuilder(d)
                        .editSpec()
                        .editTemplate()
                        .editSpec()
                        .editFirstContainer()
                        .withImage("nginx:1.28")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build());
    assertThat(edited.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx:1.28");

    deployments.withName("f8-web").scale(3);
    assertThat(deployments.withName("f8-web").get().getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployments.withName("f8-web").scale().getSpec().getReplicas()).isEqualTo(3);

    assertThat(deployments.withName("f8-web").delete())
        .extracting(StatusDetails::getName)
        .containsExactly("f8-web");
    assertThat(deployments.withName("f8-web").get()).isNull();
  }

  @Test
  void listsByLabelAndFieldSelectors() {
    configMaps().resource(configMap("sel-1", Map.of("app", "sel", "tier", "front"))).create();
    configMaps().resource(configMap("sel-2", Map.of("app", "sel", "tier", "back"))).create();
    configMaps().resource(configMap("sel-3", Map.of("app", "sel", "tier", "db"))).create();
    configMaps().resource(configMap("sel-4", Map.of("app", "other", "tier", "front"))).create();

    assertThat(names(configMaps().withLabel("app", "sel").list().getItems()))
        .containsExactly("sel-1", "sel-2", "sel-3");
    assertThat(
            names(
                configMaps()
                    .withLabel("app", "sel")
                    .withLabelIn("tier", "front", "back")
                    .list()
                    .getItems()))
        .containsExactly("sel-1", "sel-2");
    assertThat(names(configMaps().withLabel("tier").withoutLabel("app", "sel").list().getItems()))
        .containsExactly("sel-4");
    assertThat(
            names(
                configMaps()
                    .withField("metadata.name", "sel-2")
                    .withLabel("app", "sel")
                    .list()
                    .getItems()))
        .containsExactly("sel-2");
    assertThat(
            names(
                client.configMaps().inAnyNamespace().withLabel("tier", "front").list().getItems()))
        .containsExactly("sel-1", "sel-4");
  }

  @Test
  void watchFromAResourceVersionSeesLaterChangesOnly() throws Exception {
    ConfigMap before = configMaps().resource(configMap("w-0", Map.of("app", "f8-watch"))).create();
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Watcher<ConfigMap> watcher =
        new Watcher<>() {
          @Override
          public void eventReceived(Action action, ConfigMap resource) {
            events.add(action + " " + resource.getMetadata().getName());
          }

          @Override
          public void onClose(WatcherException cause) {
            events.add("CLOSED " + cause.getMessage());
          }
        };
    try (Watch watch =
        configMaps()
            .withLabel("app", "f8-watch")
            .watch(
                new ListOptionsBuilder()
                    .withResourceVersion(before.getMetadata().getResourceVersion())
                    .build(),
                watcher)) {
      configMaps().resource(configMap("w-1", Map.of("app", "f8-watch"))).create();
      configMaps().withName("w-1").edit(cm -> new ConfigMapBuilder(cm).addToData("n", "1").build());
      configMaps().withName("w-1").delete();
      assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("ADDED w-1");
      assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("MODIFIED w-1");
      assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("DELETED w-1");
      assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  /**
   * fabric8 watches over WebSocket; a watch from the current state first waits for a linearizable
   * read, and the upgrade must still succeed after it (it once failed now and then with "Request
   * has already been read", leaving the watch never open). Twenty in a row, each on a name that
   * does not exist yet, each must see its object's creation.
   */
  @Test
  void watchesOfANameNotYetCreatedOpenAndSeeItsCreation() throws Exception {
    for (int i = 0; i < 20; i++) {
      String name = "later-" + i;
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      try (Watch watch =
          configMaps()
              .withName(name)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                      events.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                      events.add("CLOSED " + cause.getMessage());
                    }
                  })) {
        configMaps().resource(configMap(name, Map.of("app", "f8-later"))).create();
        assertThat(events.poll(10, TimeUnit.SECONDS)).as("watch %d", i).isEqualTo("ADDED " + name);
      }
    }
  }

  @Test
  void anUpdateWithAStaleResourceVersionIsAConflict() {
    ConfigMap created = configMaps().resource(configMap("f8-stale", Map.of("app", "c"))).create();
    configMaps().resource(new ConfigMapBuilder(created).addToData("first", "1").build()).update();
    ConfigMap stale = new ConfigMapBuilder(created).addToData("second", "2").build();
    assertThatThrownBy(() -> configMaps().resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
            });
    assertThat(configMaps().withName("f8-stale").get().getData())
        .containsEntry("first", "1")
        .doesNotContainKey("second");
  }

  @Test
  void mergeAndJsonPatches() {
    configMaps().resource(configMap("f8-patch", Map.of("app", "p"))).create();
    ConfigMap merged =
        configMaps()
            .withName("f8-patch")
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"patched\":\"merge\"}},\"data\":{\"k\":null,\"m\":\"1\"}}");
    assertThat(merged.getMetadata().getLabels()).containsEntry("patched", "merge");
    assertThat(merged.getData()).containsExactly(Map.entry("m", "1"));

    ConfigMap patched =
        configMaps()
            .withName("f8-patch")
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"test\",\"path\":\"/data/m\",\"value\":\"1\"},"
                    + "{\"op\":\"replace\",\"path\":\"/data/m\",\"value\":\"2\"}]");
    assertThat(patched.getData()).containsExactly(Map.entry("m", "2"));
    assertThatThrownBy(
            () ->
                configMaps()
                    .withName("f8-patch")
                    .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"test\",\"path\":\"/data/m\",\"value\":\"1\"}]"))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
  }

  @Test
  void anInformerListsInPagesThenSeesNewObjects() {
    for (int i = 0; i < 5; i++) {
      configMaps().resource(configMap("inf-" + i, Map.of("app", "f8-inf"))).create();
    }
    Set<String> added = ConcurrentHashMap.newKeySet();
    Set<String> deleted = ConcurrentHashMap.newKeySet();
    ResourceEventHandler<ConfigMap> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap obj) {
            added.add(obj.getMetadata().getName());
          }

          @Override
          public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {}

          @Override
          public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
            deleted.add(obj.getMetadata().getName());
          }
        };
    // A limit of 2 makes the informer's initial list take three pages.
    try (SharedIndexInformer<ConfigMap> informer =
        configMaps().withLabel("app", "f8-inf").withLimit(2L).inform(handler, 0)) {
      await().atMost(Duration.ofSeconds(30)).until(informer::hasSynced);
      assertThat(names(informer.getStore().list()))
          .containsExactly("inf-0", "inf-1", "inf-2", "inf-3", "inf-4");

      configMaps().resource(configMap("inf-late", Map.of("app", "f8-inf"))).create();
      configMaps().withName("inf-0").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> added.contains("inf-late"));
      await().atMost(Duration.ofSeconds(30)).until(() -> deleted.contains("inf-0"));
      assertThat(names(informer.getStore().list()))
          .containsExactly("inf-1", "inf-2", "inf-3", "inf-4", "inf-late");
      assertThat(informer.isWatching()).isTrue();
    }
    List<String> informerRequests =
        requests.stream().filter(r -> r.contains("app%3Df8-inf")).toList();
    assertThat(informerRequests)
        .filteredOn(r -> r.contains("limit=2") && r.contains("continue="))
        .as("the initial list went on past its first page")
        .hasSizeGreaterThanOrEqualTo(2);
    assertThat(informerRequests)
        .anyMatch(r -> r.contains("watch=true") && r.contains("allowWatchBookmarks=true"));
  }
}
