package io.pinpipeline.toolkit.commands;

import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.emulator.KafkaRestSink;
import io.pinpipeline.toolkit.local.KafkaPath;
import io.pinpipeline.toolkit.local.KafkaRestHandler;
import io.pinpipeline.toolkit.local.LocalServers;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;

/**
 * {@code ./pipeline serve}: the local servers in the foreground, for sending by hand or from another emulator: the
 * Kafka broker, the Kinesis-compatible server at kinesis.endpoint with the three streams, and the gateway with both
 * routes.
 */
public final class ServeCommand implements Command {
    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String usage() {
        return """
                  serve    [--port P]                          the local Kafka broker, Kinesis server and gateway until Ctrl-C;
                                                               --set local.kafka-rest-faults.retriable=0.2: /topics/ fails
                                                               a fifth of the records with error_code 2, as the proxy may
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, "port");
        ToolkitSettings toolkit = options.settings();
        Settings settings = toolkit.jobs();
        int port = options.positiveInt("port", toolkit.local().gatewayPort());
        try (LocalServers.Serving serving = LocalServers.serve(toolkit, port)) {
            KafkaPath kafka = serving.kafka();
            out.printf("Kafka broker: %s%s%n", kafka.bootstrapServers(), kafka.startedBroker() ? " (started)" : "");
            out.printf("Kinesis: %s, streams %s%s%n", LocalServers.kinesisTarget(settings),
                    String.join(", ", LocalServers.streams(settings)), serving.kinesis().started() ? " (started)" : "");
            out.printf("gateway: POST %s/topics/%s.<pin|geo|user> (Content-Type: %s)%n", kafka.gatewayUrl(),
                    settings.prefix(), KafkaRestSink.CONTENT_TYPE);
            out.printf("         PUT  %s/streams/streaming-%s-<pin|geo|user>/record%n", kafka.gatewayUrl(), settings.prefix());
            KafkaRestHandler.Faults faults = KafkaPath.faults(toolkit);
            if (faults.any()) {
                out.printf("         /topics/ fails records on purpose (local.kafka-rest-faults): each with probability %s"
                        + " as error_code 2 (retriable), %s as error_code 1%n", faults.retriable(), faults.notRetriable());
            }
            out.println("Ctrl-C stops them.");
            Runtime.getRuntime().addShutdownHook(new Thread(serving::close));
            kafka.awaitBrokerExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
