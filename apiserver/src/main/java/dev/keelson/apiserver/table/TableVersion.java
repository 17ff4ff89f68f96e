package dev.keelson.apiserver.table;

/** The two versions of meta.k8s.io in which a client may ask for a Table. */
public enum TableVersion {
  V1("v1"),
  V1BETA1("v1beta1");

  public static final String GROUP = "meta.k8s.io";

  private final String version;

  TableVersion(String version) {
    this.version = version;
  }

  public String version() {
    return version;
  }

  /**
   * {@code meta.k8s.io/v1} or {@code meta.k8s.io/v1beta1}: the Table's and its rows' apiVersion.
   */
  public String apiVersion() {
    return GROUP + "/" + version;
  }

  static TableVersion of(String version) {
    for (TableVersion v : values()) {
      if (v.version.equals(version)) {
        return v;
      }
    }
    return null;
  }
}
