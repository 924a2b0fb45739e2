package io.pinpipeline.jobs.records;

/** Column names shared by the jobs and their tests, so that a rename happens in one place. */
public final class Columns {
    private Columns() {
    }

    // Keys: the pin's key arrives as "index" (or "ind"); every cleaned table is keyed by "ind".
    public static final String INDEX = "index";
    public static final String IND = "ind";

    // pin
    public static final String UNIQUE_ID = "unique_id";
    public static final String TITLE = "title";
    public static final String DESCRIPTION = "description";
    public static final String POSTER_NAME = "poster_name";
    public static final String FOLLOWER_COUNT = "follower_count";
    public static final String TAG_LIST = "tag_list";
    public static final String IS_IMAGE_OR_VIDEO = "is_image_or_video";
    public static final String IMAGE_SRC = "image_src";
    public static final String DOWNLOADED = "downloaded";
    public static final String SAVE_LOCATION = "save_location";
    public static final String CATEGORY = "category";

    // geo
    public static final String TIMESTAMP = "timestamp";
    public static final String LATITUDE = "latitude";
    public static final String LONGITUDE = "longitude";
    public static final String COUNTRY = "country";
    public static final String COORDINATES = "coordinates";

    // user
    public static final String FIRST_NAME = "first_name";
    public static final String LAST_NAME = "last_name";
    public static final String USER_NAME = "user_name";
    public static final String AGE = "age";
    public static final String DATE_JOINED = "date_joined";

    // a landed line, before parsing
    public static final String RAW = "raw";
    public static final String SOURCE = "source";

    // quarantine
    public static final String KIND = "kind";
    public static final String REASON = "reason";
    public static final String RUN_DATE = "run_date";
    public static final String QUARANTINED_AT = "quarantined_at";
}
