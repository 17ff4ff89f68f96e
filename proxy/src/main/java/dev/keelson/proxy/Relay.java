package dev.keelson.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * Copies what one side of a proxied connection reads to the other side. Back-pressure: when the
 * other side's outbound buffer passes its high-water mark, this side stops reading until it drains.
 * Half-close: when this side's input ends, the other side's output is shut once what was read is
 * flushed, and a connection whose two directions have both ended is closed.
 */
final class Relay extends ChannelInboundHandlerAdapter {

  private final Channel peer;
  private final LongAdder bytes;
  private final Runnable onBroken;

  Relay(Channel peer, LongAdder bytes, Runnable onBroken) {
    this.peer = peer;
    this.bytes = bytes;
    this.onBroken = onBroken;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf buf) {
      bytes.add(buf.readableBytes());
    }
    peer.write(msg);
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
      peer.flush();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // This side drained what the peer sent it: the peer may read again.
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent && peer instanceof SocketChannel socket) {
      Channel self = ctx.channel();
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              written ->
                  socket
                      .shutdownOutput()
                      .addListener(
                          shut -> {
                            if (socket.isShutdown()) {
                              socket.close();
                            }
                            if (self instanceof SocketChannel s && s.isShutdown()) {
                              self.close();
                            }
                          }));
      if (self instanceof SocketChannel s && s.isOutputShutdown()) {
        // Both directions of this side have ended.
        self.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    onBroken.run();
    ctx.close();
    peer.close();
  }
}
