package dev.keelson.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.GroupKind;
import dev.keelson.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Objects for the admission tests, written as the YAML a user would apply. */
final class Manifests {

  static final GroupKind POD = GroupKind.core("Pod");
  static final GroupKind SERVICE = GroupKind.core("Service");
  static final GroupKind NAMESPACE = GroupKind.core("Namespace");
  static final GroupKind NODE = GroupKind.core("Node");
  static final GroupKind ENDPOINTS = GroupKind.core("Endpoints");
  static final GroupKind CONFIG_MAP = GroupKind.core("ConfigMap");
  static final GroupKind SECRET = GroupKind.core("Secret");
  static final GroupKind SERVICE_ACCOUNT = GroupKind.core("ServiceAccount");
  static final GroupKind EVENT = GroupKind.core("Event");
  static final GroupKind DEPLOYMENT = new GroupKind("apps", "Deployment");
  static final GroupKind REPLICA_SET = new GroupKind("apps", "ReplicaSet");
  static final GroupKind JOB = new GroupKind("batch", "Job");
  static final GroupKind HPA = new GroupKind("autoscaling", "HorizontalPodAutoscaler");
  static final GroupKind LEASE = new GroupKind("coordination.k8s.io", "Lease");

  static final String POD_YAML =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        namespace: default
        uid: 6b9f1c2e-0000-4000-8000-000000000001
        labels:
          app: web
      spec:
        containers:
        - name: nginx
          image: nginx:1.25
          ports:
          - containerPort: 80
      """;

  static final String DEPLOYMENT_YAML =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: default
        uid: 6b9f1c2e-0000-4000-8000-000000000002
      spec:
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - name: nginx
              image: nginx
      """;

  static final String JOB_YAML =
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: pi
        namespace: default
        uid: 0d7a5b1c-0000-4000-8000-000000000003
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: pi
              image: perl:5.34
              command: ["perl", "-e", "print 1"]
      """;

  static final String SERVICE_YAML =
      """
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: default
      spec:
        selector:
          app: web
        ports:
        - port: 80
      """;

  private Manifests() {}

  @SuppressWarnings("unchecked")
  static <T extends JsonNode> T yaml(String text) {
    try {
      return (T) Json.yaml().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new object as the API server holds it after defaulting. */
  static ObjectNode defaulted(GroupKind kind, String text) {
    ObjectNode object = yaml(text);
    Defaulting.apply(kind, object);
    return object;
  }
}
