package io.pinpipeline.jobs.clean;

import static io.pinpipeline.jobs.records.Columns.AGE;
import static io.pinpipeline.jobs.records.Columns.DATE_JOINED;
import static io.pinpipeline.jobs.records.Columns.FIRST_NAME;
import static io.pinpipeline.jobs.records.Columns.IND;
import static io.pinpipeline.jobs.records.Columns.LAST_NAME;
import static io.pinpipeline.jobs.records.Columns.USER_NAME;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The silver {@code user} table's rules (SPEC 4). */
public final class UserCleaning {
    public static final int MIN_AGE = 0;
    public static final int MAX_AGE = 150;

    private UserCleaning() {
    }

    /**
     * Cleans valid user records into {@code ind, user_name, age INT, date_joined TIMESTAMP}. The two name
     * columns become {@code user_name}; an age outside 0..150 or not an integer is null.
     */
    public static Dataset<Row> clean(Dataset<Row> users) {
        RequiredColumns.check(users, "UserCleaning.clean", IND, FIRST_NAME, LAST_NAME, AGE, DATE_JOINED);
        Column age = Fields.nonNegativeInt(col(AGE));
        return users.select(
                col(IND),
                userName(col(FIRST_NAME), col(LAST_NAME)).as(USER_NAME),
                when(age.between(MIN_AGE, MAX_AGE), age).as(AGE),
                Fields.timestamp(col(DATE_JOINED)).as(DATE_JOINED));
    }

    /** First and last name joined by one space; one alone when the other is null; null when both are. */
    public static Column userName(Column firstName, Column lastName) {
        return when(firstName.isNotNull().or(lastName.isNotNull()), concat_ws(" ", firstName, lastName));
    }
}
