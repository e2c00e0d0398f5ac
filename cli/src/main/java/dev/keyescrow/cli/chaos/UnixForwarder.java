package dev.keyescrow.cli.chaos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Forwards TCP connections on a loopback port of this process's network namespace to a Unix
 * socket. A Unix socket is a file, so it crosses network namespaces: a {@code socat} inside a
 * member's namespace listens on it and connects to the member's HTTP port. That is how the
 * driver, outside every namespace, reaches each member's API — also while the member is cut
 * off from the others (it is the member's console, not a path through the bridge).
 * Runs in this JVM, so it ends with it (nothing is left behind by a killed run).
 */
final class UnixForwarder implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final Thread acceptor;

    UnixForwarder(Path socket) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = new Thread(this::accept, "forward-" + socket.getFileName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                SocketChannel member = SocketChannel.open(StandardProtocolFamily.UNIX);
                member.connect(UnixDomainSocketAddress.of(socket));
                pump(client, member);
                pump(member, client);
            } catch (IOException e) {
                close(client); // the member's socat is not there (yet): the client sees a closed connection
            }
        }
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // the other side went away
            } finally {
                close(from);
                close(to);
            }
        }, "forward-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
