package io.pinpipeline.toolkit.emulator;

import io.pinpipeline.jobs.records.RecordKind;

/**
 * One post as the emulator sends it: the same key {@code ind} and one single-line JSON object per record
 * kind (SPEC 2). The pin carries the key as {@code index}, geo and user as {@code ind}.
 */
public record Post(long ind, String pin, String geo, String user) {
    /** The post's record of a kind: its JSON line. */
    public String record(RecordKind kind) {
        return switch (kind) {
            case PIN -> pin;
            case GEO -> geo;
            case USER -> user;
        };
    }
}
