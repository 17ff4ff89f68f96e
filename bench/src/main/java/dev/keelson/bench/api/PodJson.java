package dev.keelson.bench.api;

import dev.keelson.api.Json;
import java.nio.charset.StandardCharsets;

/**
 * The pod the API write benchmark writes: about 1.5 KiB of JSON shaped like a pod a Deployment
 * makes (owner reference, probes, resources, a projected service-account volume). The template is
 * rendered once; each body only substitutes the name, the resourceVersion and a counter.
 */
public final class PodJson {

  public static final String NAMESPACE = "default";

  private static final String TEMPLATE =
      Json.text(
          Json.parseObject(
"""
{"apiVersion":"v1","kind":"Pod",
 "metadata":{"name":"@NAME@","namespace":"default","resourceVersion":"@RV@",
  "labels":{"app":"checkout","pod-template-hash":"7d9f8c6b5d","tier":"backend","track":"stable"},
  "annotations":{"bench.keelson.dev/revision":"@REV@"},
  "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"checkout-7d9f8c6b5d","uid":"5b1f0a52-3c1e-4d55-9a8e-2f6d1c0b7e41","controller":true,"blockOwnerDeletion":true}]},
 "spec":{"serviceAccountName":"checkout","restartPolicy":"Always","dnsPolicy":"ClusterFirst",
  "containers":[{"name":"checkout","image":"registry.example.com/shop/checkout:1.24.3","imagePullPolicy":"IfNotPresent",
   "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
   "env":[{"name":"SPRING_PROFILES_ACTIVE","value":"production"},{"name":"DB_HOST","value":"orders-db.shop.svc.cluster.local"}],
   "resources":{"requests":{"cpu":"250m","memory":"512Mi"},"limits":{"cpu":"1","memory":"1Gi"}},
   "readinessProbe":{"httpGet":{"path":"/actuator/health/readiness","port":8080,"scheme":"HTTP"},"periodSeconds":5,"timeoutSeconds":1,"failureThreshold":3},
   "volumeMounts":[{"name":"config","mountPath":"/etc/checkout","readOnly":true},{"name":"kube-api-access","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}]}],
  "volumes":[{"name":"config","configMap":{"name":"checkout-config","defaultMode":420}},
   {"name":"kube-api-access","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}}]}}]}}
"""));

  private PodJson() {}

  /** The body of a create: no resourceVersion. */
  public static byte[] create(String name) {
    return render(name, null, 0);
  }

  /**
   * The body of an update: the resourceVersion read last, and {@code revision} in an annotation.
   */
  public static byte[] update(String name, String resourceVersion, long revision) {
    return render(name, resourceVersion, revision);
  }

  private static byte[] render(String name, String resourceVersion, long revision) {
    String json =
        resourceVersion == null
            ? TEMPLATE.replace("\"resourceVersion\":\"@RV@\",", "")
            : TEMPLATE.replace("@RV@", resourceVersion);
    return json.replace("@NAME@", name)
        .replace("@REV@", Long.toString(revision))
        .getBytes(StandardCharsets.UTF_8);
  }
}
