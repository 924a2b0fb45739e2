-- The field rules of SPEC 2 and 4 as DuckDB macros: a second reading of the contract, written from SPEC (and the
-- decisions in docs/decisions.md), not translated from the Spark code.
-- Statements end with a semicolon at the end of a line; DuckDbReading runs them one by one.

-- SPEC 4: trim the space character (U+0020) at both ends, nothing else; an empty string is null.
CREATE MACRO trimmed_or_null(text) AS nullif(trim(text, ' '), '');

-- docs/decisions.md: a blank line is empty or only whitespace (space, tab, VT, FF, CR); it is skipped and not counted.
CREATE MACRO is_blank(line) AS trim(line, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)) = '';

-- SPEC 2: a key or an integer field is a JSON integer or a string of ASCII digits (after the string rule).
-- Beyond the type's range is not an integer of it.
CREATE MACRO non_negative_bigint(text) AS
    CASE WHEN regexp_full_match(text, '[0-9]+') THEN try_cast(text AS BIGINT) END;
CREATE MACRO non_negative_int(text) AS
    CASE WHEN regexp_full_match(text, '[0-9]+') THEN try_cast(text AS INTEGER) END;

-- SPEC 2: one JSON object, strictly (RFC 8259): nothing but JSON whitespace around it. DuckDB's parser is lenient
-- in two ways that JSON is not: it takes NaN/Infinity and trailing commas. Those are looked for outside string
-- literals, and only in the rare lines that hold such text at all.
CREATE MACRO outside_strings(text) AS regexp_replace(text, '"(\\.|[^"\\])*"', '""', 'g');
CREATE MACRO is_one_json_object(line) AS
    json_valid(line)
    AND ltrim(line, ' ' || chr(9) || chr(10) || chr(13))[1] = '{'
    AND NOT (regexp_matches(line, '(?i)nan|inf|,[ \t\r\n]*[\]}]')
             AND regexp_matches(lower(outside_strings(line)), 'nan|inf|,[ \t\r\n]*[\]}]'));

-- SPEC 2: datetimes in exactly yyyy-MM-dd HH:mm:ss, yyyy:MM:dd HH:mm:ss, and ISO yyyy-MM-ddTHH:mm:ss with an optional
-- fraction and an optional Z or ±HH:mm; UTC without a zone; anything else (impossible days and hours included) null.
-- Decisions: a fraction keeps microseconds (the TIMESTAMP's precision) and drops further digits; an offset is valid
-- up to ±18:00 (what a zone offset can be), with minutes 00..59.
CREATE MACRO datetime_parts(text) AS regexp_extract(text,
    '^([0-9]{4})([-:])([0-9]{2})([-:])([0-9]{2})([ T])([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$',
    ['y', 'sep1', 'mo', 'sep2', 'd', 't', 'h', 'mi', 's', 'fraction', 'zone']);
-- Which of the three forms the parts are: both separators the same, and only the ISO form with T, fraction and zone.
CREATE MACRO is_accepted_form(p) AS
    p.y <> '' AND p.sep1 = p.sep2
    AND ((p.t = ' ' AND p.fraction = '' AND p.zone = '') OR (p.t = 'T' AND p.sep1 = '-'));
CREATE MACRO zone_minutes(zone) AS
    CASE WHEN zone IN ('', 'Z') THEN 0
         ELSE (CASE WHEN zone[1] = '-' THEN -1 ELSE 1 END)
              * (try_cast(substr(zone, 2, 2) AS BIGINT) * 60 + try_cast(substr(zone, 5, 2) AS BIGINT)) END;
CREATE MACRO utc_timestamp_of_parts(p) AS
    CASE WHEN is_accepted_form(p)
              AND try_cast(p.h AS INTEGER) <= 23 AND try_cast(p.mi AS INTEGER) <= 59 AND try_cast(p.s AS INTEGER) <= 59
              AND (p.zone IN ('', 'Z') OR (try_cast(substr(p.zone, 5, 2) AS INTEGER) <= 59
                                          AND abs(zone_minutes(p.zone)) <= 18 * 60))
         THEN try_cast(p.y || '-' || p.mo || '-' || p.d AS DATE)
              + make_time(try_cast(p.h AS BIGINT), try_cast(p.mi AS BIGINT), try_cast(p.s AS DOUBLE))
              + to_microseconds(coalesce(try_cast(rpad(substr(p.fraction, 2, 6), 6, '0') AS BIGINT), 0))
              - to_minutes(zone_minutes(p.zone))
    END;
CREATE MACRO utc_timestamp(text) AS utc_timestamp_of_parts(datetime_parts(text));

-- SPEC 4: ^[0-9]+(\.[0-9]+)?[kKmMbB]?$ times 1 / 10^3 / 10^6 / 10^9, exact decimals, rounded half up; else, or
-- above 2,147,483,647, null. Exact in DECIMAL(38,10): the integer part is at most 10 significant digits for any
-- value that can fit, and fraction digits beyond the 10th cannot move a half-up rounding to a whole number after
-- multiplying by at most 10^9.
CREATE MACRO follower_parts(text) AS
    regexp_extract(text, '^0*([0-9]*?[0-9])(?:\.([0-9]+))?([kKmMbB]?)$', ['whole', 'fraction', 'suffix']);
CREATE MACRO int_or_null(value) AS CASE WHEN value <= 2147483647 THEN value::INTEGER END;
CREATE MACRO follower_count_of_parts(p) AS
    CASE WHEN p.whole <> '' AND length(p.whole) <= 10 THEN int_or_null(round(
        (p.whole || '.' || left(p.fraction || '0', 10))::DECIMAL(38, 10)
        * (CASE lower(p.suffix) WHEN 'k' THEN 1000 WHEN 'm' THEN 1000000 WHEN 'b' THEN 1000000000 ELSE 1 END)::DECIMAL(38, 0),
        0)) END;
CREATE MACRO follower_count(text) AS follower_count_of_parts(follower_parts(text));

-- SPEC 4: a finite number; coordinates are null unless both are in range.
CREATE MACRO finite_double(text) AS
    CASE WHEN isfinite(try_cast(text AS DOUBLE)) THEN try_cast(text AS DOUBLE) END;
CREATE MACRO coordinates(latitude, longitude) AS
    CASE WHEN finite_double(latitude) BETWEEN -90 AND 90 AND finite_double(longitude) BETWEEN -180 AND 180
         THEN [finite_double(latitude), finite_double(longitude)] END;

-- SPEC 5: 18–24, 25–35, 36–50, over 50; any other age has no group.
CREATE MACRO age_group(age) AS
    CASE WHEN age BETWEEN 18 AND 24 THEN '18-24' WHEN age BETWEEN 25 AND 35 THEN '25-35'
         WHEN age BETWEEN 36 AND 50 THEN '36-50' WHEN age > 50 THEN '+50' END;
