package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.toolkit.local.LocalDatabricks;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.local.Loopback;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./pipeline serve} and {@code ./pipeline databricks} start listens on loopback only: every listening
 * TCP socket of this JVM (the gateway, the local Databricks) and of the processes it started (the Kafka broker, the
 * Kinesis server), as the kernel lists them in /proc/net/tcp and /proc/net/tcp6 (Linux).
 */
class LoopbackOnlyIT {
    @TempDir
    Path home;

    /** A listening socket: its owner's pid and command, and the address and port it is bound to. */
    record Listening(long pid, String command, InetAddress address, int port) {
        @Override
        public String toString() {
            return command + " (pid " + pid + ") on " + address.getHostAddress() + ":" + port;
        }
    }

    @Test
    void serveAndDatabricksListenOnLoopbackOnly() throws IOException {
        int gatewayPort = Loopback.freePort();
        int kafkaPort = Loopback.freePort();
        int kinesisPort = Loopback.freePort();
        ToolkitSettings settings = ToolkitSettings.load("local", Map.of("home", home.toString(),
                "kafka.bootstrap-servers", "127.0.0.1:" + kafkaPort,
                "kinesis.endpoint", "http://127.0.0.1:" + kinesisPort));
        try (LocalServers.Serving serving = LocalServers.serve(settings, gatewayPort);
             LocalDatabricks databricks = LocalDatabricks.start(0, home.resolve("databricks"))) {
            assertThat(serving.kinesis().started()).as("a Kinesis server of its own").isTrue();
            assertThat(serving.kafka().startedBroker()).as("a Kafka broker of its own").isTrue();
            List<Listening> listening = listeningSockets();

            assertThat(listening).extracting(Listening::port).as("the check sees each server")
                    .contains(gatewayPort, kafkaPort, kinesisPort, databricks.url().getPort());
            assertThat(listening).as("listening beyond loopback")
                    .allSatisfy(socket -> assertThat(socket.address().isLoopbackAddress()).as(socket.toString()).isTrue());
            // the Kafka broker's and kinesis-local's own processes are among them, not only this JVM
            assertThat(listening).extracting(Listening::pid).contains(ProcessHandle.current().pid())
                    .anyMatch(pid -> pid != ProcessHandle.current().pid());
        }
    }

    /** The listening TCP sockets of this JVM and of every process it started, IPv4 and IPv6. */
    private static List<Listening> listeningSockets() throws IOException {
        Map<Long, ProcessHandle> byInode = new HashMap<>();
        List<ProcessHandle> processes = new ArrayList<>(List.of(ProcessHandle.current()));
        processes.addAll(ProcessHandle.current().descendants().toList());
        for (ProcessHandle process : processes) {
            for (long inode : socketInodes(process)) {
                byInode.put(inode, process);
            }
        }
        List<Listening> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                boolean listen = fields[3].equals("0A");
                ProcessHandle owner = byInode.get(Long.parseLong(fields[9]));
                if (listen && owner != null) {
                    String[] address = fields[1].split(":");
                    listening.add(new Listening(owner.pid(), owner.info().command().orElse("?"), address(address[0]),
                            Integer.parseInt(address[1], 16)));
                }
            }
        }
        return listening;
    }

    /** The inodes of a process's sockets, from its file descriptors' links ({@code socket:[12345]}). */
    private static Set<Long> socketInodes(ProcessHandle process) {
        Set<Long> inodes = new TreeSet<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring("socket:[".length(), target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            }
        } catch (IOException e) {
            // the process ended while listed: it listens nowhere
        }
        return inodes;
    }

    /** An address as /proc/net writes it: 32-bit words in hex, each in the machine's (little-endian) byte order. */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = HexFormat.of().parseHex(hex);
        for (int word = 0; word < bytes.length; word += 4) {
            for (int i = 0; i < 2; i++) {
                byte swap = bytes[word + i];
                bytes[word + i] = bytes[word + 3 - i];
                bytes[word + 3 - i] = swap;
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
