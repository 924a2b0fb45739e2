package io.pinpipeline.toolkit.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.1 requests written byte for byte, for what a well-behaved client will not send: a request target with
 * {@code ..}, {@code %2e%2e} or {@code %00} left as they are, another Host header, none at all.
 */
public final class RawHttp {
    private static final int TIMEOUT_MILLIS = 30_000;

    private RawHttp() {
    }

    /** A status and the body as text. */
    public record Answer(int status, String body) {
    }

    /**
     * Sends {@code method target} to the server at {@code server} (its host and port), with the headers given, in
     * that order, then {@code Content-Length} and the body when there is one, and {@code Connection: close}.
     */
    public static Answer send(URI server, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                request.append("Content-Length: ").append(body.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream(), method.equals("HEAD"));
        }
    }

    /** The usual headers of a request to a local server: its loopback Host, and more. */
    public static Map<String, String> headers(URI server, String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:" + server.getPort());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static Answer parse(InputStream in, boolean head) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int headersEnd = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || headersEnd < 0) {
            throw new IOException("not an HTTP answer: '" + text + "'");
        }
        int status = Integer.parseInt(text.substring(9, 12));
        return new Answer(status, head ? "" : text.substring(headersEnd + 4));
    }
}
