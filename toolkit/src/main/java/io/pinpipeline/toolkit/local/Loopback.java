package io.pinpipeline.toolkit.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ports on this machine's loopback interface, for the local servers and their tests. */
public final class Loopback {
    private static final int CONNECT_TIMEOUT_MILLIS = 500;
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private Loopback() {
    }

    /** A port that is free on 127.0.0.1 now (another process may take it before it is used: callers retry). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /** Whether something accepts connections at the address. */
    public static boolean listening(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether a host, as a URL or a Host header names it, is this machine's loopback: {@code localhost}, an address
     * of 127.0.0.0/8, or {@code ::1} (bracketed or not). Decided from the text alone, never by a DNS lookup: a name
     * that a resolver maps to 127.0.0.1 (what DNS rebinding does) is not loopback here.
     */
    public static boolean isLoopbackName(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        Matcher ipv4 = IPV4.matcher(bare);
        if (ipv4.matches()) {
            for (int octet = 1; octet <= 4; octet++) {
                if (Integer.parseInt(ipv4.group(octet)) > 255) {
                    return false;
                }
            }
            return ipv4.group(1).equals("127");
        }
        if (!bare.contains(":")) {
            return false;
        }
        try {
            // a text with a colon is only ever read as an IPv6 literal: no lookup
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
