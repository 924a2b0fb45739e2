package io.pinpipeline.toolkit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that hold a server's connection as long as it lets them: each sends a request's headers, announcing a
 * body of 1000 bytes, then every other one trickles a byte every 200 ms and the rest send nothing more. Their
 * threads stop by themselves once the server closes the connection, and {@link #close} ends whatever is left.
 */
public final class SlowClients implements AutoCloseable {
    private static final long TRICKLE_MILLIS = 200;

    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> tricklers = new ArrayList<>();

    private SlowClients() {
    }

    /** {@code count} clients of the server, each sending {@code method target} with the extra header lines. */
    public static SlowClients start(URI server, int count, String method, String target, String extraHeaders)
            throws IOException {
        SlowClients clients = new SlowClients();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort());
            clients.sockets.add(socket);
            String headers = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.getPort() + "\r\n"
                    + extraHeaders + "Content-Length: 1000\r\n\r\n{";
            socket.getOutputStream().write(headers.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            if (i % 2 == 1) {
                Thread trickler = new Thread(() -> trickle(socket), "slow-client-" + i);
                trickler.setDaemon(true);
                trickler.start();
                clients.tricklers.add(trickler);
            }
        }
        return clients;
    }

    private static void trickle(Socket socket) {
        try {
            for (int sent = 0; sent < 998; sent++) {
                Thread.sleep(TRICKLE_MILLIS);
                socket.getOutputStream().write(' ');
                socket.getOutputStream().flush();
            }
        } catch (IOException | InterruptedException e) {
            // the server closed the connection (what it should do), or the test is over
        }
    }

    /**
     * Waits until the server has closed every connection (end of stream or reset), at most {@code within}.
     *
     * @return how many it closed in that time
     */
    public int awaitClosedByServer(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        int closed = 0;
        for (Socket socket : sockets) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            socket.setSoTimeout((int) left);
            try {
                InputStream in = socket.getInputStream();
                while (in.read() >= 0) {
                    // an answer (a 4xx for a body cut short would do): read on to the end of the stream
                }
                closed++;
            } catch (SocketTimeoutException e) {
                // still open at the deadline
            } catch (IOException e) {
                closed++;  // reset: closed with our unread bytes in its buffer
            }
        }
        for (Thread trickler : tricklers) {
            trickler.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return closed;
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        tricklers.forEach(Thread::interrupt);
    }
}
