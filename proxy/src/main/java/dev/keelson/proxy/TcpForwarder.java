package dev.keelson.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's data plane: listens on the addresses of a {@link ProxyTable} and forwards each
 * connection to an endpoint of its Service port, copying bytes both ways with back-pressure and
 * half-close. A new table changes the listeners (new addresses bound, gone ones closed) and the
 * endpoints of new connections; established connections are left alone, and end when either side
 * ends them. A connection to a Service port with no ready endpoint is reset at once.
 *
 * <p>Netty rather than Vert.x's NetSocket here: a proxy must half-close (shut one direction and
 * keep the other), which NetSocket cannot.
 */
final class TcpForwarder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TcpForwarder.class);

  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;
  private final Balancer balancer;
  private final ProxyMetrics metrics;
  private final Duration connectTimeout;
  private final Map<Frontend, Channel> listening = new ConcurrentHashMap<>();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private volatile ProxyTable table = ProxyTable.EMPTY;

  TcpForwarder(int threads, ProxyMetrics metrics, Duration connectTimeout) {
    this.acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    this.balancer = new Balancer();
    this.metrics = metrics;
    this.connectTimeout = connectTimeout;
  }

  /**
   * Makes {@code next} the table: closes the listeners it no longer has, binds those it adds (and
   * those that failed to bind before). Completes, with the addresses that failed to bind, when
   * every close is done and every bind has succeeded or failed; what failed is logged, counted and
   * tried again at the next call.
   */
  CompletableFuture<Set<Frontend>> apply(ProxyTable next) {
    this.table = next;
    balancer.retain(next.routes().keySet());
    Set<String> live = new HashSet<>();
    next.routes()
        .values()
        .forEach(r -> r.backends().forEach(b -> live.add(ProxyMetrics.seriesName(r.service(), b))));
    metrics.retain(live);
    List<CompletableFuture<Frontend>> binds = new ArrayList<>();
    for (Frontend gone : new ArrayList<>(listening.keySet())) {
      if (!next.frontends().containsKey(gone)) {
        Channel channel = listening.remove(gone);
        if (channel != null) {
          CompletableFuture<Frontend> closed = new CompletableFuture<>();
          channel.close().addListener(f -> closed.complete(null));
          binds.add(closed);
          metrics.listening(-1);
          LOG.info("stopped listening on {} ({})", gone, gone.kind());
        }
      }
    }
    for (Frontend frontend : next.frontends().keySet()) {
      if (!listening.containsKey(frontend)) {
        binds.add(bind(frontend));
      }
    }
    return CompletableFuture.allOf(binds.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Set<Frontend> failed = new HashSet<>();
              binds.forEach(b -> Optional.ofNullable(b.join()).ifPresent(failed::add));
              return failed;
            });
  }

  /** The addresses listened on now. */
  Set<Frontend> listening() {
    return Set.copyOf(listening.keySet());
  }

  /** Binds one frontend; completes with it when the bind failed, else with null. */
  private CompletableFuture<Frontend> bind(Frontend frontend) {
    CompletableFuture<Frontend> done = new CompletableFuture<>();
    ServerBootstrap server =
        new ServerBootstrap()
            .group(acceptors, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel inbound) {
                    inbound.pipeline().addLast(new Accepted(frontend));
                  }
                });
    ChannelFuture bound = server.bind(new InetSocketAddress(frontend.host(), frontend.port()));
    bound.addListener(
        f -> {
          if (!f.isSuccess()) {
            metrics.listenFailed();
            LOG.warn(
                "cannot listen on {} ({}): {}", frontend, frontend.kind(), f.cause().toString());
            done.complete(frontend);
            return;
          }
          Channel channel = bound.channel();
          // The table may have dropped this frontend while the bind was in flight.
          if (!table.frontends().containsKey(frontend)
              || listening.putIfAbsent(frontend, channel) != null) {
            channel.close();
          } else {
            metrics.listening(1);
            LOG.info(
                "listening on {} ({}) for {}",
                frontend,
                frontend.kind(),
                table.frontends().get(frontend));
          }
          done.complete(null);
        });
    return done;
  }

  /** A connection accepted on a frontend: finds its endpoint, connects, then relays. */
  private final class Accepted extends ChannelInboundHandlerAdapter {

    private final Frontend frontend;

    Accepted(Frontend frontend) {
      this.frontend = frontend;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel inbound = ctx.channel();
      connections.add(inbound);
      ProxyTable now = table;
      ServicePortName service = now.frontends().get(frontend);
      Route route = service == null ? null : now.routes().get(service);
      String client = ((InetSocketAddress) inbound.remoteAddress()).getAddress().getHostAddress();
      Optional<Backend> backend = route == null ? Optional.empty() : balancer.pick(route, client);
      if (backend.isEmpty()) {
        if (service != null) {
          metrics.of(service, null).failed(ProxyMetrics.Failure.NO_ENDPOINTS);
        }
        reset(inbound);
        return;
      }
      connect(inbound, route, backend.get(), true);
    }

    private void connect(Channel inbound, Route route, Backend backend, boolean mayRetry) {
      new Bootstrap()
          .group(inbound.eventLoop())
          .channel(NioSocketChannel.class)
          .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
          .handler(new ChannelInboundHandlerAdapter())
          .connect(backend.host(), backend.port())
          .addListener(
              (ChannelFuture f) -> {
                if (!inbound.isActive()) {
                  f.channel().close();
                  return;
                }
                if (!f.isSuccess()) {
                  Optional<Backend> other =
                      mayRetry ? balancer.next(route, backend) : Optional.empty();
                  metrics.of(route.service(), backend).failed(ProxyMetrics.Failure.CONNECT);
                  if (other.isPresent()) {
                    connect(inbound, route, other.get(), false);
                  } else {
                    reset(inbound);
                  }
                  return;
                }
                relay(inbound, f.channel(), metrics.of(route.service(), backend));
              });
    }
  }

  private void relay(Channel inbound, Channel outbound, ProxyMetrics.Series series) {
    connections.add(outbound);
    series.connections.increment();
    series.active.increment();
    Runnable broken = () -> series.failed(ProxyMetrics.Failure.RESET);
    inbound.pipeline().removeLast();
    inbound.pipeline().addLast(new Relay(outbound, series.bytesToEndpoint, broken));
    outbound.pipeline().removeLast();
    outbound.pipeline().addLast(new Relay(inbound, series.bytesFromEndpoint, broken));
    inbound.closeFuture().addListener(f -> series.active.decrement());
    inbound.config().setAutoRead(true);
    outbound.config().setAutoRead(true);
  }

  /** Refuses a connection with a reset, as a port with nothing behind it does. */
  private static void reset(Channel channel) {
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    channel.close();
  }

  @Override
  public void close() {
    listening.values().forEach(Channel::close);
    listening.clear();
    connections.close().awaitUninterruptibly(5_000);
    acceptors.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
  }
}
