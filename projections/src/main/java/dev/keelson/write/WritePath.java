package dev.keelson.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.Meta;
import dev.keelson.api.ResourceKey;
import dev.keelson.api.change.ChangeEnvelope;
import dev.keelson.api.change.Op;
import dev.keelson.api.change.Precondition;
import dev.keelson.eventlog.ChangeLog;
import dev.keelson.projection.Projection;
import dev.keelson.projection.Rejection;
import dev.keelson.projection.StoredObject;
import dev.keelson.projection.Verdict;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Writes through the log: composes the object after the change against the projection's current
 * state (stamping uid, creationTimestamp and generation), appends it with a precondition, waits
 * until the projection has applied that record, and answers the projection's verdict.
 *
 * <p>Every appended change carries a precondition on the exact version it was composed from. A
 * write whose caller gave no resourceVersion is retried on a fresh version when it loses a race, as
 * Kubernetes' guaranteed update does; a write with the caller's resourceVersion is not. A write
 * refused because another object took a value it claims ({@link Rejection#ALLOCATED}) is composed
 * and admitted again, whoever asked.
 */
public final class WritePath {

  private static final int MAX_ATTEMPTS = 16;
  private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final ChangeLog log;
  private final Projection projection;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public WritePath(ChangeLog log, Projection projection, Clock clock) {
    this.log = log;
    this.projection = projection;
    this.clock = clock;
  }

  public Projection projection() {
    return projection;
  }

  /** Creates {@code object}; a name is generated from metadata.generateName when none is given. */
  public CompletableFuture<WriteResult> create(ObjectNode object, WriteContext context) {
    return create(object, context, Admission.NONE);
  }

  /**
   * Creates {@code object} once {@code admission} accepts it, as it will be stored (named, with its
   * uid and creationTimestamp). A refusal completes the future with {@link WriteRefusedException}.
   */
  public CompletableFuture<WriteResult> create(
      ObjectNode object, WriteContext context, Admission admission) {
    return create(object, context, admission, 1);
  }

  /**
   * One attempt at a create. An attempt that loses a value it allocated (a cluster IP, say) to
   * another writer is tried again from the caller's object, so admission sees the value taken: an
   * allocated value is picked anew, a value the caller asked for is refused.
   */
  private CompletableFuture<WriteResult> create(
      ObjectNode object, WriteContext context, Admission admission, int attempt) {
    ObjectNode created = object.deepCopy();
    ObjectNode metadata = Meta.metadata(created);
    if (Meta.name(created).isEmpty()) {
      String prefix = metadata.path("generateName").asText("");
      if (prefix.isEmpty()) {
        return invalid("metadata.name or metadata.generateName is required");
      }
      metadata.put("name", prefix + randomSuffix());
    }
    if (created.path("kind").asText("").isEmpty()
        || created.path("apiVersion").asText("").isEmpty()) {
      return invalid("apiVersion and kind are required");
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", timestamp());
    metadata.remove("resourceVersion");
    metadata.remove("deletionTimestamp");
    metadata.remove("deletionGracePeriodSeconds");
    if (created.has("spec")) {
      metadata.put("generation", 1);
    } else {
      metadata.remove("generation");
    }
    try {
      admission.admit(created, null);
    } catch (RuntimeException e) {
      // A refusal, or a fault in the admission: either way the caller's future says so.
      return CompletableFuture.failedFuture(e);
    }
    Optional<StoredObject> existing = projection.get(ResourceKey.of(created));
    if (existing.isPresent()) {
      // Known to exist already: no need to append an attempt the fold would reject. (A log folded
      // last-writer-wins relies on this check alone.)
      return CompletableFuture.completedFuture(
          new WriteResult.Rejected(
              Rejection.ALREADY_EXISTS,
              describe(existing.get().key()) + " already exists",
              existing.get()));
    }
    return append(Op.CREATE, Precondition.mustBeAbsent(), created, context)
        .thenCompose(
            result -> {
              if (lostAllocation(result) && attempt < MAX_ATTEMPTS) {
                // The same name again, should it have been generated.
                ObjectNode again = object.deepCopy();
                Meta.metadata(again).put("name", Meta.name(created));
                return create(again, context, admission, attempt + 1);
              }
              return CompletableFuture.completedFuture(result);
            });
  }

  /** The change was refused because a value it claims is held by another object. */
  private static boolean lostAllocation(WriteResult result) {
    return result instanceof WriteResult.Rejected r && r.reason() == Rejection.ALLOCATED;
  }

  /**
   * Replaces the object (all but its status). With metadata.resourceVersion the write applies only
   * to that version; without, to the current one.
   */
  public CompletableFuture<WriteResult> update(ObjectNode object, WriteContext context) {
    return update(object, context, Admission.NONE);
  }

  /** Replaces the object (all but its status), once {@code admission} accepts the result. */
  public CompletableFuture<WriteResult> update(
      ObjectNode object, WriteContext context, Admission admission) {
    return guarded(object, context, base -> composeUpdate(object, base, admission));
  }

  /** Replaces the status of the object, and nothing else. */
  public CompletableFuture<WriteResult> updateStatus(ObjectNode object, WriteContext context) {
    return updateStatus(object, context, Admission.NONE);
  }

  /** Replaces the status of the object, and nothing else, once {@code admission} accepts it. */
  public CompletableFuture<WriteResult> updateStatus(
      ObjectNode object, WriteContext context, Admission admission) {
    return guarded(object, context, base -> composeStatus(object, base, admission));
  }

  /**
   * Changes the current object with {@code change} (a patch, say), which gets a fresh copy and
   * returns the object it wants (a resourceVersion it leaves in it must be the current one), of
   * which {@code part} is taken. Retried on a fresh version when it loses a race and no {@code
   * resourceVersion} was given. {@code change} may throw {@link WriteRefusedException}.
   */
  public CompletableFuture<WriteResult> modify(
      ResourceKey key,
      String resourceVersion,
      Part part,
      WriteContext context,
      UnaryOperator<ObjectNode> change,
      Admission admission) {
    return attempt(
        key,
        resourceVersion,
        context,
        base -> {
          ObjectNode wanted = change.apply(base.object());
          String asked = Meta.resourceVersion(wanted);
          if (!asked.isEmpty() && !asked.equals(base.resourceVersion())) {
            throw new WriteRefusedException(
                Rejection.CONFLICT,
                "Operation cannot be fulfilled on "
                    + key.kind().toLowerCase(Locale.ROOT)
                    + " \""
                    + key.name()
                    + "\": the object has been modified; please apply your changes to the latest"
                    + " version and try again");
          }
          return switch (part) {
            case MAIN -> composeUpdate(wanted, base, admission);
            case STATUS -> composeStatus(wanted, base, admission);
            case ALL -> composeAll(wanted, base, admission);
          };
        },
        1);
  }

  /** Deletes the object, at {@code resourceVersion} when given (else whatever is current). */
  public CompletableFuture<WriteResult> delete(
      ResourceKey key, String resourceVersion, WriteContext context) {
    return delete(key, new DeleteOptions(null, null, null, resourceVersion), context);
  }

  /**
   * Deletes the object as Kubernetes does: an object with finalizers (or whose propagation policy
   * adds one) only gets its deletionTimestamp and stays until the finalizers are gone; a pod bound
   * to a node gets a grace period and its node agent removes it; anything else goes at once.
   */
  public CompletableFuture<WriteResult> delete(
      ResourceKey key, DeleteOptions options, WriteContext context) {
    return attempt(
        key,
        options.resourceVersion(),
        context,
        base -> Deletion.compose(base, options, clock.instant()),
        1);
  }

  private CompletableFuture<WriteResult> guarded(
      ObjectNode object, WriteContext context, Function<StoredObject, Change> compose) {
    ResourceKey key;
    try {
      key = ResourceKey.of(object);
    } catch (IllegalArgumentException e) {
      return invalid(e.getMessage());
    }
    String resourceVersion = Meta.resourceVersion(object);
    return attempt(key, resourceVersion.isEmpty() ? null : resourceVersion, context, compose, 1);
  }

  /** What a write appends: the op and the object after it; null when nothing is to change. */
  record Change(Op op, ObjectNode object) {}

  private CompletableFuture<WriteResult> attempt(
      ResourceKey key,
      String expectedVersion,
      WriteContext context,
      Function<StoredObject, Change> compose,
      int attempt) {
    long expected;
    try {
      expected = expectedVersion == null ? -1 : Long.parseLong(expectedVersion);
    } catch (NumberFormatException e) {
      return invalid("metadata.resourceVersion " + expectedVersion + " is not a revision");
    }
    return current(key, expected)
        .thenCompose(
            base -> {
              if (base == null) {
                return CompletableFuture.completedFuture(
                    new WriteResult.Rejected(
                        Rejection.NOT_FOUND,
                        key.kind().toLowerCase(Locale.ROOT) + " \"" + key.name() + "\" not found",
                        null));
              }
              String version = expectedVersion == null ? base.resourceVersion() : expectedVersion;
              if (expectedVersion != null && !expectedVersion.equals(base.resourceVersion())) {
                if (expected < base.revision() && !projection.lastWriterWins()) {
                  CompletableFuture<WriteResult> recorded =
                      appendStale(base, expectedVersion, compose, context);
                  if (recorded != null) {
                    return recorded;
                  }
                }
                // Stale (or naming a version still to come), with no append.
                return CompletableFuture.completedFuture(
                    (WriteResult)
                        new WriteResult.Rejected(
                            Rejection.CONFLICT,
                            "Operation cannot be fulfilled on "
                                + key.kind().toLowerCase(Locale.ROOT)
                                + " \""
                                + key.name()
                                + "\": the object has been modified; please apply your changes"
                                + " to the latest version and try again",
                            base));
              }
              Change change = compose.apply(base);
              if (change == null) {
                return CompletableFuture.completedFuture(
                    (WriteResult) new WriteResult.Accepted(Op.UPDATE, base));
              }
              return append(change.op(), Precondition.atVersion(version), change.object(), context)
                  .thenCompose(
                      result -> {
                        boolean lostRace =
                            result instanceof WriteResult.Rejected r
                                && r.reason() == Rejection.CONFLICT
                                && expectedVersion == null;
                        // A lost allocation is composed again, on the same version if one was
                        // given: admission then sees the value taken.
                        if ((lostRace || lostAllocation(result)) && attempt < MAX_ATTEMPTS) {
                          return attempt(key, expectedVersion, context, compose, attempt + 1);
                        }
                        return CompletableFuture.completedFuture(result);
                      });
            });
  }

  /**
   * A change made against a version older than the current one, appended all the same with that
   * version as its precondition: the fold rejects it CONFLICT, as every replica does, and the log
   * keeps the attempt, so that the history shows who tried to change what from which version. Null
   * when it cannot be composed (admission refuses it, or it changes nothing): then the caller is
   * answered the conflict without an append, as upstream checks the version before validating.
   */
  private CompletableFuture<WriteResult> appendStale(
      StoredObject base,
      String staleVersion,
      Function<StoredObject, Change> compose,
      WriteContext context) {
    Change change;
    try {
      change = compose.apply(base);
    } catch (RuntimeException e) {
      return null;
    }
    if (change == null) {
      return null;
    }
    return append(change.op(), Precondition.atVersion(staleVersion), change.object(), context);
  }

  /**
   * The current state of {@code key} as of at least revision {@code atLeast}; when the projection
   * does not hold the object, it first catches up with the log end, so that "not found" is true.
   */
  private CompletableFuture<StoredObject> current(ResourceKey key, long atLeast) {
    CompletableFuture<Long> ready =
        atLeast > projection.revision()
            ? log.endOffset().thenCompose(end -> projection.awaitRevision(Math.min(atLeast, end)))
            : CompletableFuture.completedFuture(projection.revision());
    return ready.thenCompose(
        r -> {
          StoredObject found = projection.get(key).orElse(null);
          if (found != null) {
            return CompletableFuture.completedFuture(found);
          }
          return log.endOffset()
              .thenCompose(projection::awaitRevision)
              .thenApply(applied -> projection.get(key).orElse(null));
        });
  }

  private Change composeUpdate(ObjectNode object, StoredObject base, Admission admission) {
    ObjectNode current = base.object();
    ObjectNode after = object.deepCopy();
    ObjectNode metadata = Meta.metadata(after);
    ObjectNode currentMetadata = Meta.metadata(current);
    copy(currentMetadata, metadata, "uid");
    copy(currentMetadata, metadata, "creationTimestamp");
    copy(currentMetadata, metadata, "deletionTimestamp");
    copy(currentMetadata, metadata, "deletionGracePeriodSeconds");
    metadata.remove("resourceVersion");
    long generation = Meta.generation(current);
    if (generation > 0 || after.has("spec")) {
      boolean specChanged = !after.path("spec").equals(current.path("spec"));
      metadata.put("generation", Math.max(1, generation + (specChanged ? 1 : 0)));
    }
    if (current.has("status")) {
      after.set("status", current.get("status"));
    } else {
      after.remove("status");
    }
    Meta.metadata(current).remove("resourceVersion");
    admission.admit(after, current);
    return new Change(Deletion.finishes(after) ? Op.DELETE : Op.UPDATE, after);
  }

  /** Which part of an object a change may set. */
  public enum Part {
    /** All but the status, as an update of the object does. */
    MAIN,
    /** Only the status, as an update of the status subresource does. */
    STATUS,
    /** Spec and status together, as a binding does. */
    ALL
  }

  private Change composeAll(ObjectNode object, StoredObject base, Admission admission) {
    Change main = composeUpdate(object, base, admission);
    ObjectNode after = main.object();
    if (object.has("status")) {
      after.set("status", object.get("status").deepCopy());
    }
    return main;
  }

  private Change composeStatus(ObjectNode object, StoredObject base, Admission admission) {
    ObjectNode current = base.object();
    Meta.metadata(current).remove("resourceVersion");
    ObjectNode after = current.deepCopy();
    JsonNode status = object.get("status");
    if (status == null || status.isNull()) {
      after.remove("status");
    } else {
      after.set("status", status.deepCopy());
    }
    admission.admit(after, current);
    return new Change(Op.UPDATE_STATUS, after);
  }

  private CompletableFuture<WriteResult> append(
      Op op, Precondition precondition, ObjectNode object, WriteContext context) {
    ChangeEnvelope envelope =
        new ChangeEnvelope(
            op, precondition, object, context.actor(), context.requestId(), clock.instant());
    return log.append(envelope).thenCompose(projection::verdict).thenApply(WritePath::result);
  }

  private static WriteResult result(Verdict verdict) {
    if (verdict instanceof Verdict.Applied applied) {
      return new WriteResult.Accepted(applied.op(), applied.object());
    }
    if (verdict instanceof Verdict.Rejected rejected) {
      return new WriteResult.Rejected(rejected.reason(), rejected.message(), rejected.current());
    }
    Verdict.Skipped skipped = (Verdict.Skipped) verdict;
    return new WriteResult.Rejected(Rejection.INVALID, skipped.problem(), null);
  }

  private static CompletableFuture<WriteResult> invalid(String message) {
    return CompletableFuture.completedFuture(
        new WriteResult.Rejected(Rejection.INVALID, message, null));
  }

  private static String describe(ResourceKey key) {
    return key.kind().toLowerCase(Locale.ROOT) + " \"" + key.name() + "\"";
  }

  private static void copy(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    } else {
      to.remove(field);
    }
  }

  private String timestamp() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private String randomSuffix() {
    StringBuilder suffix = new StringBuilder(5);
    for (int i = 0; i < 5; i++) {
      suffix.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
    }
    return suffix.toString();
  }
}
