package io.pinpipeline.toolkit.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipeline.jobs.records.Columns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real 2,262-post capture (SPEC 9, {@code shared/data/README.md}) as the pools the generator draws from:
 * the 2,019 distinct pins, the 243 countries of the source table, and the first and last names of its users.
 * Loaded once from the classpath ({@code /capture/*}), in file order, so a seed means the same posts on
 * every machine.
 */
final class CaptureSample {
    static final String PIN_RESOURCE = "/capture/pin.jsonl";
    static final String USER_RESOURCE = "/capture/user.jsonl";
    static final String COUNTRIES_RESOURCE = "/capture/countries.txt";

    /** The pin's fields after the two the generator replaces ({@code index}, {@code unique_id}), in order. */
    static final List<String> PIN_KEPT_FIELDS = List.of(Columns.TITLE, Columns.DESCRIPTION, Columns.POSTER_NAME,
            Columns.FOLLOWER_COUNT, Columns.TAG_LIST, Columns.IS_IMAGE_OR_VIDEO, Columns.IMAGE_SRC,
            Columns.DOWNLOADED, Columns.SAVE_LOCATION, Columns.CATEGORY);

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final class Holder {
        static final CaptureSample INSTANCE = load();
    }

    /**
     * Each distinct pin, as the JSON text of its kept fields: from {@code "title":} to the closing brace,
     * written by Jackson, so the generator only puts the key and a fresh unique_id in front.
     */
    final List<String> pinTails;
    /** Countries, each already a quoted JSON string. */
    final List<String> countries;
    /** First and last names in order of first appearance, each already a quoted JSON string. */
    final List<String> firstNames;
    final List<String> lastNames;

    private CaptureSample(List<String> pinTails, List<String> countries, List<String> firstNames,
            List<String> lastNames) {
        this.pinTails = List.copyOf(pinTails);
        this.countries = List.copyOf(countries);
        this.firstNames = List.copyOf(firstNames);
        this.lastNames = List.copyOf(lastNames);
    }

    static CaptureSample get() {
        return Holder.INSTANCE;
    }

    private static CaptureSample load() {
        Map<Long, String> pinTails = new LinkedHashMap<>();
        for (String line : lines(PIN_RESOURCE)) {
            ObjectNode pin = (ObjectNode) read(line);
            pinTails.putIfAbsent(pin.get(Columns.INDEX).asLong(), tailOf(pin));
        }
        Set<String> firstNames = new LinkedHashSet<>();
        Set<String> lastNames = new LinkedHashSet<>();
        for (String line : lines(USER_RESOURCE)) {
            JsonNode user = read(line);
            firstNames.add(quote(user.get(Columns.FIRST_NAME).asText()));
            lastNames.add(quote(user.get(Columns.LAST_NAME).asText()));
        }
        List<String> countries = lines(COUNTRIES_RESOURCE).stream().map(CaptureSample::quote).toList();
        return new CaptureSample(new ArrayList<>(pinTails.values()), countries, new ArrayList<>(firstNames),
                new ArrayList<>(lastNames));
    }

    private static String tailOf(ObjectNode pin) {
        List<String> names = new ArrayList<>();
        pin.fieldNames().forEachRemaining(names::add);
        List<String> expected = new ArrayList<>(List.of(Columns.INDEX, Columns.UNIQUE_ID));
        expected.addAll(PIN_KEPT_FIELDS);
        if (!names.equals(expected)) {
            throw new IllegalStateException(PIN_RESOURCE + ": expected the fields " + expected
                    + " in this order, got " + names);
        }
        ObjectNode kept = JSON.createObjectNode();
        PIN_KEPT_FIELDS.forEach(name -> kept.set(name, pin.get(name)));
        return write(kept).substring(1);
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a capture line is not JSON: " + line, e);
        }
    }

    static String quote(String text) {
        return write(JSON.getNodeFactory().textNode(text));
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The non-blank lines of a classpath resource, UTF-8. */
    static List<String> lines(String resource) {
        InputStream in = CaptureSample.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("the capture resource " + resource + " is not on the classpath"
                    + " (the toolkit build copies jobs/src/test/resources/capture there)");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().filter(line -> !line.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
