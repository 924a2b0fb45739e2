package io.pinpipeline.jobs.stream.kinesis;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Comparator;

/**
 * How far one shard has been read: the sequence number of the last record read ({@code after}, null before the
 * first), and whether the shard is {@code closed}, meaning closed by a reshard <em>and</em> read to its end, so
 * that its children may be read. {@code atTimestamp} (epoch millis) is where a shard that has no record read yet
 * starts when the query began at {@code LATEST}; otherwise such a shard starts at its trim horizon.
 */
record ShardPosition(String after, boolean closed, Long atTimestamp) implements Serializable {
    /** Sequence numbers are decimal numbers of up to 128 bits, and not all of the same length: compare them as numbers. */
    static final Comparator<String> SEQUENCE_ORDER = Comparator.comparing(BigInteger::new);

    /** A shard nothing has been read from: it starts at its trim horizon, its oldest record. */
    static final ShardPosition TRIM_HORIZON = new ShardPosition(null, false, null);

    ShardPosition {
        if (after != null && !after.matches("[0-9]+")) {
            throw new IllegalArgumentException("not a sequence number: '" + after + "'");
        }
        if (atTimestamp != null && (after != null || closed)) {
            throw new IllegalArgumentException("atTimestamp is only for a shard with no record read yet");
        }
    }

    /** Where a shard that was open when a query started at LATEST begins: the first record that arrived at or after. */
    static ShardPosition atTimestamp(long epochMillis) {
        return new ShardPosition(null, false, epochMillis);
    }

    static ShardPosition after(String sequenceNumber) {
        return new ShardPosition(sequenceNumber, false, null);
    }

    /** A shard that is closed and needs no more reading, whose last record (if any was read) is {@code after}. */
    static ShardPosition closedAfter(String sequenceNumber) {
        return new ShardPosition(sequenceNumber, true, null);
    }

    /** This position moved on to the record {@code last} (null: none read now), closed or not. */
    ShardPosition advancedTo(String last, boolean nowClosed) {
        String newAfter = last != null ? last : after;
        return new ShardPosition(newAfter, nowClosed, newAfter == null && !nowClosed ? atTimestamp : null);
    }

    static int compare(String sequenceNumber, String other) {
        return SEQUENCE_ORDER.compare(sequenceNumber, other);
    }
}
