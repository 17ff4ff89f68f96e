package dev.keelson.bench.api;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Pods in etcd the way the Kubernetes apiserver keeps them: one key per object under {@code
 * /registry/pods/<namespace>/<name>}, a create a transaction "absent, then put", an update a
 * transaction "mod revision unchanged, then put". The new revision is the next update's version.
 */
final class EtcdKv implements WriteTarget {

  private final Client client;
  private final KV kv;

  EtcdKv(String endpoint) {
    this.client = Client.builder().endpoints(endpoint).build();
    this.kv = client.getKVClient();
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public CompletableFuture<Answer> create(String name, byte[] body) {
    ByteSequence key = key(name);
    return kv.txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(key, ByteSequence.from(body), PutOption.DEFAULT))
        .commit()
        .thenApply(EtcdKv::answer);
  }

  @Override
  public CompletableFuture<Answer> update(String name, String version, byte[] body) {
    ByteSequence key = key(name);
    return kv.txn()
        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(Long.parseLong(version))))
        .Then(Op.put(key, ByteSequence.from(body), PutOption.DEFAULT))
        .commit()
        .thenApply(EtcdKv::answer);
  }

  private static ByteSequence key(String name) {
    return ByteSequence.from(
        "/registry/pods/" + PodJson.NAMESPACE + "/" + name, StandardCharsets.UTF_8);
  }

  private static Answer answer(TxnResponse response) {
    return response.isSucceeded()
        ? Answer.accepted(Long.toString(response.getHeader().getRevision()))
        : Answer.rejected("compare failed");
  }

  @Override
  public void close() {
    client.close();
  }
}
