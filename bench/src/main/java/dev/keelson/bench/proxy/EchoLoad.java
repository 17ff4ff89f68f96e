package dev.keelson.bench.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A closed loop over N keep-alive connections to an echo server: each connection sends a message
 * and waits for it to come back, again and again, for a fixed time. A round trip is one request.
 */
final class EchoLoad {

  /** What one phase measured. */
  record Result(
      long requests, double seconds, Histogram latencies, long errors, String firstError) {
    double perSecond() {
      return requests / seconds;
    }
  }

  private EchoLoad() {}

  static Result run(String host, int port, int connections, int messageBytes, double seconds)
      throws Exception {
    byte[] message = new byte[messageBytes];
    Arrays.fill(message, (byte) 'k');
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < connections; i++) {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5000);
        sockets.add(socket);
        // One round trip before the clock starts: the echo server (busybox nc) accepts one
        // connection at a time from a short backlog, so a connection may be open here before
        // anything serves it (a proxy in between accepts at once and waits for the server itself).
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(message);
        if (socket.getInputStream().readNBytes(messageBytes).length < messageBytes) {
          throw new IOException("the echo server ended a connection before its first answer");
        }
        socket.setSoTimeout(10_000);
      }
      Histogram all = new Histogram(60_000_000_000L, 3);
      AtomicLong requests = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      java.util.concurrent.atomic.AtomicReference<String> firstError =
          new java.util.concurrent.atomic.AtomicReference<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      long[] deadline = new long[1];
      for (Socket socket : sockets) {
        Thread thread =
            new Thread(
                () -> {
                  Histogram mine = new Histogram(60_000_000_000L, 3);
                  byte[] echoed = new byte[messageBytes];
                  long count = 0;
                  try {
                    start.await();
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    while (System.nanoTime() < deadline[0]) {
                      long sent = System.nanoTime();
                      out.write(message);
                      if (in.readNBytes(echoed, 0, messageBytes) < messageBytes) {
                        throw new IOException("the connection ended");
                      }
                      mine.recordValue(System.nanoTime() - sent);
                      count++;
                    }
                  } catch (IOException | InterruptedException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(
                        null, e.toString() + " after " + count + " round trips");
                  }
                  requests.addAndGet(count);
                  synchronized (all) {
                    all.add(mine);
                  }
                },
                "echo-load");
        thread.start();
        threads.add(thread);
      }
      long began = System.nanoTime();
      deadline[0] = began + (long) (seconds * 1e9);
      start.countDown();
      for (Thread thread : threads) {
        thread.join();
      }
      double elapsed = (System.nanoTime() - began) / 1e9;
      return new Result(requests.get(), elapsed, all, errors.get(), firstError.get());
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
