package io.pinpipeline.toolkit.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;

/**
 * The local stand-in for the original's API Gateway: one HTTP server on loopback that mounts the routes it is
 * given, in practice {@code /topics/} (the Kafka REST proxy's produce API, {@link KafkaRestHandler}) and
 * {@code /streams/} (the Kinesis proxy integration, {@code KinesisProxyHandler}). The JDK's own HTTP server: no
 * framework is needed for two routes.
 *
 * <p>In front of every route, as API Gateway is in front of its integrations: the limits of {@link LocalHttp} (time
 * limits, threads, loopback only), a request whose Host header does not name loopback is answered 403, and one whose
 * body is over API Gateway's payload limit of {@value #MAX_PAYLOAD_BYTES} bytes 413, both with API Gateway's
 * {@code {"message": ...}} body. A route only ever sees a body within the limit, read whole before it is called.
 */
public final class LocalGateway implements AutoCloseable {
    /** API Gateway's payload limit (REST APIs): 10 MB. */
    public static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    private LocalGateway(HttpServer server) {
        this.server = server;
    }

    /** Starts on 127.0.0.1 at the port (0 for any free one) with the routes, by path prefix. */
    public static LocalGateway start(int port, Map<String, HttpHandler> routes) {
        HttpServer server = LocalHttp.create("local gateway", port);
        Filter checks = new ApiGatewayChecks();
        routes.forEach((path, handler) -> server.createContext(path, handler).getFilters().add(checks));
        server.start();
        return new LocalGateway(server);
    }

    /** The invoke URL, as API Gateway gives one: {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        LocalHttp.stop(server);
    }

    /** The Host check and the payload limit, answered as API Gateway answers them. */
    private static final class ApiGatewayChecks extends Filter {
        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            if (!LocalHttp.fromLoopbackHost(exchange)) {
                refuse(exchange, 403, "Forbidden: Host " + LocalHttp.host(exchange)
                        + " is not this machine's loopback");
                return;
            }
            byte[] body;
            try (InputStream in = LocalHttp.body(exchange, MAX_PAYLOAD_BYTES)) {
                body = in.readAllBytes();
            } catch (LocalHttp.BodyTooLarge e) {
                refuse(exchange, 413, "HTTP content length exceeded " + MAX_PAYLOAD_BYTES + " bytes.");
                return;
            }
            exchange.setStreams(new ByteArrayInputStream(body), null);
            chain.doFilter(exchange);
        }

        private static void refuse(HttpExchange exchange, int status, String message) throws IOException {
            try (exchange) {
                LocalHttp.refuse(exchange, status, JSON.writeValueAsBytes(Map.of("message", message)));
            }
        }

        @Override
        public String description() {
            return "API Gateway's Host check and payload limit";
        }
    }
}
