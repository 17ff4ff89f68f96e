package dev.keelson.projection;

import java.util.List;

/** The objects of a list, all as of one revision. */
public record ListResult(List<StoredObject> items, long revision) {}
