package io.pinpipeline.toolkit.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the local HTTP servers ({@link LocalDatabricks}, {@link LocalGateway}) share, so that nothing unexpected gets
 * in and no client can hold up the others: the JDK's HTTP server on 127.0.0.1 only, with
 *
 * <ul>
 *   <li><b>time limits</b>, the JDK server's own (JDK 17 reads {@code sun.net.httpserver.maxReqTime} and
 *       {@code maxRspTime}, in seconds, and checks them every second): a connection that has not sent its whole request,
 *       body included, within {@value #MAX_REQUEST_SECONDS} s of its first byte (a client that sends its headers, then
 *       trickles or stalls) is closed, and so is one that has not taken its whole answer within
 *       {@value #MAX_RESPONSE_SECONDS} s; one that connects and sends nothing is closed after
 *       {@value #MAX_REQUEST_SECONDS} s too, and an idle kept-alive one after the JDK's 30 s. The JDK reads these
 *       properties once, when its server classes load: this class sets them in its static initializer, which runs
 *       before it makes a server, and so before any server of this project is made; a {@code -D} on the command line
 *       wins;</li>
 *   <li><b>threads enough</b>: up to {@value #THREADS} requests are served at once, each on its own thread (the JDK reads
 *       a request on the thread that then handles it), so that a few slow clients, each holding a thread until its
 *       time runs out, leave the others room;</li>
 *   <li>a <b>Host check</b> ({@link #fromLoopbackHost}): a web page of another site can reach a loopback port
 *       through a DNS name that it points at 127.0.0.1 (DNS rebinding), but its requests then name that site in
 *       their Host header;</li>
 *   <li><b>bodies read through a cap</b> ({@link #body}): a declared length over the cap is refused before a byte is
 *       read, and a body without one is cut off as it passes the cap, so a large body is never held.</li>
 * </ul>
 */
public final class LocalHttp {
    /** Seconds a client has to send its whole request; a real one here takes milliseconds (10 MB on loopback). */
    public static final int MAX_REQUEST_SECONDS = 10;
    /** Seconds a client has to take its whole answer; the gateway's answers wait on the broker's acknowledgements. */
    public static final int MAX_RESPONSE_SECONDS = 30;
    public static final int THREADS = 32;
    /** What is read of a refused body before answering (see {@link #refuse}); past it the connection just closes. */
    private static final long DRAIN_BYTES = 32L << 20;
    private static final Pattern HOST_HEADER = Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]]*)(:\\d{1,5})?");

    static {
        limit("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        limit("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    }

    private LocalHttp() {
    }

    private static void limit(String property, int seconds) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, String.valueOf(seconds));
        }
    }

    /**
     * A server bound to 127.0.0.1 at the port (0: a free one), under the limits above, not started yet; {@code name}
     * names its threads and its errors.
     */
    public static HttpServer create(String name, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            ThreadPoolExecutor workers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), runnable -> {
                        Thread thread = new Thread(runnable, name);
                        thread.setDaemon(true);
                        return thread;
                    });
            // threads come as requests do and go when idle: a quiet server holds none
            workers.allowCoreThreadTimeOut(true);
            server.setExecutor(workers);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " on 127.0.0.1:" + port, e);
        }
    }

    /** Stops a server made by {@link #create} and its threads. */
    public static void stop(HttpServer server) {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    /**
     * Whether the request's Host header names this machine's loopback ({@link Loopback#isLoopbackName}: 127.0.0.1,
     * localhost, [::1]), with any port. A request without one is refused too: every HTTP/1.1 client sends it.
     */
    static boolean fromLoopbackHost(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return false;
        }
        Matcher parts = HOST_HEADER.matcher(host.strip());
        return parts.matches() && Loopback.isLoopbackName(parts.group(1));
    }

    /** The request's Host header as sent, for an error message. */
    static String host(HttpExchange exchange) {
        return String.valueOf(exchange.getRequestHeaders().getFirst("Host"));
    }

    /**
     * The request body, read through a cap of {@code maxBytes}.
     *
     * @throws BodyTooLarge at once for a declared Content-Length over the cap, or from a read that passes it
     */
    static InputStream body(HttpExchange exchange, long maxBytes) throws BodyTooLarge {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && Long.parseLong(declared.strip()) > maxBytes) {
            // the JDK has already refused a length that is not a number
            throw new BodyTooLarge(maxBytes);
        }
        return new CappedInputStream(exchange.getRequestBody(), maxBytes);
    }

    /**
     * Answers a request with an error before (or instead of) reading its body: up to {@value #DRAIN_BYTES} bytes of
     * what is left of the body are read first, so that a client still sending a file gets this answer rather than a
     * connection reset; a HEAD request gets the status alone.
     */
    static void refuse(HttpExchange exchange, int status, byte[] json) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            new CappedInputStream(in, DRAIN_BYTES).transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // more than the drain takes, already closed, or cut off by the time limit: the connection closes after
            // the answer
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    /** A request body over its cap. */
    static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge(long maxBytes) {
            super("the request body is over " + maxBytes + " bytes");
        }
    }

    /** Reads at most {@code maxBytes}; a read past them throws {@link BodyTooLarge}. */
    private static final class CappedInputStream extends FilterInputStream {
        private final long maxBytes;
        private long read;

        CappedInputStream(InputStream in, long maxBytes) {
            super(in);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // one byte more than is left: a body exactly at the cap passes, one byte over does not
            int count = in.read(buffer, offset, (int) Math.min(length, maxBytes - read + 1));
            if (count > 0) {
                read += count;
                if (read > maxBytes) {
                    throw new BodyTooLarge(maxBytes);
                }
            }
            return count;
        }

        @Override
        public long skip(long count) throws IOException {
            return read(new byte[(int) Math.min(count, 8192)], 0, (int) Math.min(count, 8192));
        }

        /**
         * Leaves the request body open: closing the JDK's would drop what is left of it, which {@link #refuse} still
         * reads (the exchange closes it in the end).
         */
        @Override
        public void close() {
        }
    }
}
