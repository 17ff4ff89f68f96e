package dev.keelson.write;

import dev.keelson.api.GroupKind;

/**
 * Which {@link Admission} a write of each kind goes through: the API's defaulting and validation,
 * so that a writer inside the control plane (a reconciler) stores objects exactly as the API would
 * have. The apiserver provides the built-in policy; whoever composes the control plane hands it to
 * the other writers.
 */
public interface AdmissionPolicy {

  /** Admits nothing beyond what the write path itself checks. */
  AdmissionPolicy NONE =
      new AdmissionPolicy() {
        @Override
        public Admission create(GroupKind kind) {
          return Admission.NONE;
        }

        @Override
        public Admission update(GroupKind kind) {
          return Admission.NONE;
        }

        @Override
        public Admission status(GroupKind kind) {
          return Admission.NONE;
        }
      };

  Admission create(GroupKind kind);

  Admission update(GroupKind kind);

  Admission status(GroupKind kind);
}
