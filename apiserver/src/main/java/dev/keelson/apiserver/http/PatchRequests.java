package dev.keelson.apiserver.http;

import static dev.keelson.apiserver.http.Responses.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keelson.api.ResourceKey;
import dev.keelson.apiserver.discovery.ResourceType;
import dev.keelson.apiserver.patch.PatchException;
import dev.keelson.apiserver.patch.PatchType;
import dev.keelson.apiserver.patch.Patches;
import dev.keelson.write.WriteContext;
import dev.keelson.write.WritePath;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * PATCH of an object or its status, in the three patch types: the patch applies to the current
 * object and the result goes through the same admission as an update. A patch with no
 * resourceVersion in it is retried on a fresh version when it loses a race, as upstream does.
 */
final class PatchRequests {

  private final WritePath writes;
  private final ResourceWrites answers;

  PatchRequests(WritePath writes, ResourceWrites answers) {
    this.writes = writes;
    this.answers = answers;
  }

  void patch(HttpServerRequest request, ApiPath.Resource target, WriteContext writer) {
    Optional<PatchType> patchType = PatchType.fromContentType(request.getHeader("Content-Type"));
    if (patchType.isEmpty() || patchType.get() == PatchType.APPLY_PATCH) {
      fail(request, unsupportedPatch());
      return;
    }
    if (request.getParam("dryRun") != null && !request.getParam("dryRun").isEmpty()) {
      fail(request, ApiStatus.badRequest("dryRun is supported for create only"));
      return;
    }
    ResourceType type = target.type();
    ResourceKey key = ApiHandler.key(type, target.namespace(), target.name());
    boolean status = "status".equals(target.subresource());
    String fieldValidation = request.getParam("fieldValidation");
    RequestBodies.bytes(
        request,
        patch -> {
          UnaryOperator<ObjectNode> change =
              current -> {
                ObjectNode patched;
                try {
                  patched = Patches.apply(patchType.get(), type.groupKind(), current, patch);
                } catch (PatchException e) {
                  throw Subresources.refused(
                      new ApiStatus(
                          e.code(),
                          e.reason(),
                          e.getMessage(),
                          ApiHandler.resourceName(type),
                          target.name()));
                }
                Admitting.path(type, target.namespace(), target.name(), patched)
                    // A patch is applied off the event loop, maybe more than once: unknown fields
                    // are dropped
                    // without Warning headers.
                    .or(() -> Admitting.unknownFields(fieldValidation, type, patched, f -> {}))
                    .ifPresent(
                        problem -> {
                          throw Subresources.refused(problem);
                        });
                return patched;
              };
          answers
              .on(
                  writes.modify(
                      key,
                      null,
                      status ? WritePath.Part.STATUS : WritePath.Part.MAIN,
                      writer,
                      change,
                      status
                          ? Admitting.status(type)
                          : Admitting.update(type, answers.allocator())))
              .onComplete(r -> answers.answer(request, type, target.name(), r, 200));
        });
  }

  static ApiStatus unsupportedPatch() {
    return new ApiStatus(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include:"
            + " application/json-patch+json, application/merge-patch+json,"
            + " application/strategic-merge-patch+json",
        null,
        null);
  }
}
