package io.pinpipeline.toolkit.local;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local stand-in for the original's API Gateway: one HTTP server on loopback that mounts the routes it is
 * given, in practice {@code /topics/} (the Kafka REST proxy's produce API, {@link KafkaRestHandler}) and
 * {@code /streams/} (the Kinesis proxy integration, {@code KinesisProxyHandler}). The JDK's own HTTP server: no
 * framework is needed for two routes.
 */
public final class LocalGateway implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;

    private LocalGateway(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Starts on 127.0.0.1 at the port (0 for any free one) with the routes, by path prefix. */
    public static LocalGateway start(int port, Map<String, HttpHandler> routes) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            routes.forEach(server::createContext);
            // Requests wait on the broker's acknowledgement: a few threads let concurrent senders overlap.
            ExecutorService workers = Executors.newFixedThreadPool(8, runnable -> {
                Thread thread = new Thread(runnable, "local-gateway");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(workers);
            server.start();
            return new LocalGateway(server, workers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local gateway on 127.0.0.1:" + port, e);
        }
    }

    /** The invoke URL, as API Gateway gives one: {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
