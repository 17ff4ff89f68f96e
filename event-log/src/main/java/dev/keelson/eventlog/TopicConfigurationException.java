package dev.keelson.eventlog;

/** An existing topic is configured in a way that would lose history or reject objects. */
public final class TopicConfigurationException extends RuntimeException {

  public TopicConfigurationException(String message) {
    super(message);
  }
}
