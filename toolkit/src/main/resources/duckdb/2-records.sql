-- From landed files to records: every line of every file, its problem if it has one, its fields as text after the
-- string rule, its key, and why it goes to quarantine (null: it can be cleaned).
-- ${pin_files}, ${geo_files}, ${user_files}: read_text(...) of the files a Spark run for the same date reads
-- (DuckDbReading lists them as Lake.landedLines does); ${max_line_bytes}: landing.max-line-bytes.

-- Lines are split as Hadoop's line reader (and so Spark's text source) splits them: at LF, CR or CR LF. A UTF-8
-- byte order mark at the very start of a file is not part of its first line (Hadoop drops it too).
CREATE TABLE landed_lines AS
WITH landed_files AS (
    SELECT 'pin' AS kind, filename AS source, content FROM ${pin_files}
    UNION ALL SELECT 'geo', filename, content FROM ${geo_files}
    UNION ALL SELECT 'user', filename, content FROM ${user_files})
SELECT kind, source,
       unnest(string_split_regex(CASE WHEN starts_with(content, chr(65279)) THEN substr(content, 2) ELSE content END,
                                 '\r\n|\r|\n')) AS raw
FROM landed_files;

-- SPEC 2: a line over the limit is not parsed; a line that is not one JSON object is one bad record. docs/lanes.md: a NUL
-- byte is never JSON text. (Invalid UTF-8 cannot get this far: read_text refuses such a file, see DuckDbReading.)
CREATE MACRO line_problem(line) AS
    CASE WHEN strlen(line) > ${max_line_bytes} THEN 'line too long'
         WHEN contains(line, chr(0)) THEN 'NUL byte in the line'
         WHEN NOT is_one_json_object(line) THEN 'not a JSON object' END;

-- SPEC 4: a record without a usable key (missing, null, not an integer, negative) goes to quarantine.
CREATE MACRO quarantine_reason(problem, key_text) AS
    CASE WHEN problem IS NOT NULL THEN problem
         WHEN key_text IS NULL THEN 'missing key'
         WHEN non_negative_bigint(key_text) IS NULL THEN 'key is not an integer in 0..9223372036854775807' END;

-- The lines that are records (not blank), with their problem; the raw text of a too-long line is cut to its first
-- 65,536 characters (the whole line stays in its file).
CREATE TABLE checked_lines AS
SELECT kind, source, problem,
       CASE WHEN problem = 'line too long' THEN left(raw, 65536) ELSE raw END AS raw,
       CASE WHEN problem IS NULL THEN raw END AS text
FROM (SELECT kind, source, raw, line_problem(raw) AS problem
      FROM landed_lines
      WHERE strlen(raw) > ${max_line_bytes} OR NOT is_blank(raw));

DROP TABLE landed_lines;

-- Fields by exact name; a value that is not a JSON string is its JSON text (a number as written, an object as JSON).
CREATE TABLE pin_records AS
SELECT source, raw, quarantine_reason(problem, coalesce(f[1], f[2])) AS reason,
       non_negative_bigint(coalesce(f[1], f[2])) AS ind,
       f[3] AS unique_id, f[4] AS title, f[5] AS description, f[6] AS poster_name, f[7] AS follower_count,
       f[8] AS tag_list, f[9] AS is_image_or_video, f[10] AS image_src, f[11] AS save_location, f[12] AS category
FROM (SELECT source, raw, problem,
             list_transform(json_extract_string(text, ['$.index', '$.ind', '$.unique_id', '$.title', '$.description',
                                                       '$.poster_name', '$.follower_count', '$.tag_list',
                                                       '$.is_image_or_video', '$.image_src', '$.save_location',
                                                       '$.category']),
                            lambda value: trimmed_or_null(value)) AS f
      FROM checked_lines WHERE kind = 'pin');

CREATE TABLE geo_records AS
SELECT source, raw, quarantine_reason(problem, f[1]) AS reason, non_negative_bigint(f[1]) AS ind,
       f[2] AS timestamp, f[3] AS latitude, f[4] AS longitude, f[5] AS country
FROM (SELECT source, raw, problem,
             list_transform(json_extract_string(text, ['$.ind', '$.timestamp', '$.latitude', '$.longitude', '$.country']),
                            lambda value: trimmed_or_null(value)) AS f
      FROM checked_lines WHERE kind = 'geo');

CREATE TABLE user_records AS
SELECT source, raw, quarantine_reason(problem, f[1]) AS reason, non_negative_bigint(f[1]) AS ind,
       f[2] AS first_name, f[3] AS last_name, f[4] AS age, f[5] AS date_joined
FROM (SELECT source, raw, problem,
             list_transform(json_extract_string(text, ['$.ind', '$.first_name', '$.last_name', '$.age', '$.date_joined']),
                            lambda value: trimmed_or_null(value)) AS f
      FROM checked_lines WHERE kind = 'user');

DROP TABLE checked_lines;
