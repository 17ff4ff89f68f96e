package dev.keelson.nodeagent.service;

import dev.keelson.api.Json;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/** Services for the tests, written as a user writes manifests. */
public final class Services {

  /** Four ports: two TCP ones the proxy serves, one UDP, one the proxy does not serve. */
  public static final String WEB =
      """
        metadata:
          name: web
          namespace: shop
          annotations:
            keelson.dev/proxy-ports: >-
              [{"port":80,"protocol":"TCP","proxyPort":20001},
               {"port":443,"protocol":"TCP","proxyPort":20002},
               {"port":53,"protocol":"UDP","proxyPort":20003}]
        spec:
          clusterIP: 127.64.0.12
          ports:
          - {name: http, port: 80}
          - {name: https, port: 443, protocol: TCP}
          - {name: dns, port: 53, protocol: UDP}
          - {name: admin, port: 9000}
        """;

  public static final String DB =
      """
        metadata:
          name: db
          namespace: billing
          annotations:
            keelson.dev/proxy-ports: '[{"port":5432,"protocol":"TCP","proxyPort":20000}]'
        spec:
          clusterIP: 127.64.0.3
          ports: [{port: 5432}]
        """;

  private Services() {}

  public static Service parse(String yaml) {
    try {
      return Json.yaml().readValue(yaml, Service.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<ClusterService> cluster(String... yaml) {
    return Arrays.stream(yaml).map(Services::parse).map(ClusterService::of).toList();
  }
}
