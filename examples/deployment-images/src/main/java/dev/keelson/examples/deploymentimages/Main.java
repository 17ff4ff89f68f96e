package dev.keelson.examples.deploymentimages;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.WakeupException;

/**
 * {@code deployment-images [--bootstrap HOST:PORT] [--topic T] [--view FILE] [--group ID]
 * [--follow]}: catches up with keelson.changes, prints every image each Deployment has run, and
 * with {@code --follow} goes on printing the table whenever it changes, until stopped.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    Map<String, String> options = new HashMap<>();
    options.put("--bootstrap", "127.0.0.1:19092");
    options.put("--topic", "keelson.changes");
    options.put("--view", "deployment-images.json");
    options.put("--group", "keelson-example-deployment-images");
    boolean follow = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--follow")) {
        follow = true;
      } else if (options.containsKey(args[i]) && i + 1 < args.length) {
        options.put(args[i], args[++i]);
      } else {
        System.err.println(
            "usage: deployment-images [--bootstrap HOST:PORT] [--topic T] [--view FILE]"
                + " [--group ID] [--follow]");
        System.exit(2);
      }
    }
    Map<String, Object> kafka = new HashMap<>();
    kafka.put("bootstrap.servers", options.get("--bootstrap"));
    kafka.put("group.id", options.get("--group"));
    kafka.put("client.id", options.get("--group"));
    ViewFile file = new ViewFile(Path.of(options.get("--view")));
    CountDownLatch closed = new CountDownLatch(1);
    try (DeploymentImagesFollower follower =
        new DeploymentImagesFollower(kafka, options.get("--topic"), file)) {
      follower.catchUp(Duration.ofMinutes(5));
      System.out.print(ImageTable.render(follower.view()));
      if (follow) {
        follow(follower, closed);
      }
    } finally {
      closed.countDown();
    }
  }

  /** Prints the table whenever it changes, until the process is stopped (Ctrl-C, SIGTERM). */
  private static void follow(DeploymentImagesFollower follower, CountDownLatch closed) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  follower.wakeup();
                  try {
                    closed.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    try {
      while (true) {
        if (follower.poll(Duration.ofSeconds(1)) > 0) {
          System.out.println();
          System.out.print(ImageTable.render(follower.view()));
        }
      }
    } catch (WakeupException e) {
      // Stopped. The view saved last, with its offset, is where the next run resumes.
    }
  }
}
