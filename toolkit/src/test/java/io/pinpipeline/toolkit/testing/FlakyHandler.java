package io.pinpipeline.toolkit.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection in front of a real handler: every {@code every}-th request is answered with {@code status} and
 * never reaches the handler (so nothing of it was stored). The servers we test against fail no whole request of
 * their own accord (the REST-proxy stand-in fails single records, {@code KafkaRestHandler.Faults}); this decorates
 * them, it does not replace them.
 */
public final class FlakyHandler implements HttpHandler {
    private final HttpHandler real;
    private final int every;
    private final int status;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    public FlakyHandler(HttpHandler real, int every, int status) {
        this.real = real;
        this.every = every;
        this.status = status;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (requests.incrementAndGet() % every != 0) {
            real.handle(exchange);
            return;
        }
        failed.incrementAndGet();
        try (exchange) {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
            byte[] body = ("{\"error_code\":" + status + ",\"message\":\"injected failure\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** How many requests this handler failed on purpose. */
    public int failed() {
        return failed.get();
    }
}
