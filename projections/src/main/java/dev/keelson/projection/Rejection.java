package dev.keelson.projection;

/** Why a change was not applied. */
public enum Rejection {
  /** A create of a name that exists. */
  ALREADY_EXISTS,
  /** The precondition's resourceVersion is not the current one. */
  CONFLICT,
  /** An update or delete of an object that does not exist. */
  NOT_FOUND,
  /** The request itself is not acceptable. */
  INVALID,
  /**
   * The object would hold a value another object holds (a Service's cluster IP, node port or proxy
   * port, see {@link Claims}).
   */
  ALLOCATED
}
