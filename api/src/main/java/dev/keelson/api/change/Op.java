package dev.keelson.api.change;

/** What a change does to its object. */
public enum Op {
  CREATE,
  UPDATE,
  UPDATE_STATUS,
  DELETE
}
