-- The silver tables (SPEC 4): one row per ind. Copies of a key carry identical data (SPEC 2); the copy kept is the
-- one from the greatest source file, as the Spark job keeps it, then (where Spark takes the greatest xxhash64 of the
-- raw line, which DuckDB cannot compute) the greatest raw line. The two choices differ only for copies in one file
-- that carry different data, which SPEC rules out.

CREATE TABLE pin AS
SELECT ind,
       unique_id,
       CASE WHEN title = 'No Title Data Available' THEN NULL ELSE title END AS title,
       CASE WHEN description IN ('No description available Story format', 'No description available', 'Untitled')
            THEN NULL ELSE description END AS description,
       follower_count(follower_count) AS follower_count,
       CASE WHEN poster_name = 'User Info Error' THEN NULL ELSE poster_name END AS poster_name,
       CASE WHEN tag_list = 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e' THEN NULL ELSE tag_list END AS tag_list,
       is_image_or_video,
       CASE WHEN image_src = 'Image src error.' THEN NULL ELSE image_src END AS image_src,
       -- the path after the prefix, trimmed again ("Local save in  /x" is "/x")
       CASE WHEN starts_with(save_location, 'Local save in ')
            THEN trimmed_or_null(substr(save_location, length('Local save in ') + 1))
            ELSE save_location END AS save_location,
       category
FROM pin_records
WHERE reason IS NULL
QUALIFY row_number() OVER (PARTITION BY ind ORDER BY source DESC, raw DESC) = 1;

CREATE TABLE geo AS
SELECT ind, country, coordinates(latitude, longitude) AS coordinates, utc_timestamp(timestamp) AS timestamp
FROM geo_records
WHERE reason IS NULL
QUALIFY row_number() OVER (PARTITION BY ind ORDER BY source DESC, raw DESC) = 1;

-- first and last name joined by one space, one alone if the other is null; an age outside 0..150 is null
CREATE TABLE "user" AS
SELECT ind,
       CASE WHEN first_name IS NULL OR last_name IS NULL THEN coalesce(first_name, last_name)
            ELSE first_name || ' ' || last_name END AS user_name,
       CASE WHEN non_negative_int(age) BETWEEN 0 AND 150 THEN non_negative_int(age) END AS age,
       utc_timestamp(date_joined) AS date_joined
FROM user_records
WHERE reason IS NULL
QUALIFY row_number() OVER (PARTITION BY ind ORDER BY source DESC, raw DESC) = 1;

-- SPEC 4: the bad records with their raw text and reason; run_date is the landing date of the line's dt= folder.
CREATE TABLE quarantine AS
SELECT kind, reason, raw, source,
       try_cast(nullif(regexp_extract(source, '/dt=([0-9]{4}-[0-9]{2}-[0-9]{2})/', 1), '') AS DATE) AS run_date
FROM (SELECT 'pin' AS kind, reason, raw, source FROM pin_records WHERE reason IS NOT NULL
      UNION ALL SELECT 'geo', reason, raw, source FROM geo_records WHERE reason IS NOT NULL
      UNION ALL SELECT 'user', reason, raw, source FROM user_records WHERE reason IS NOT NULL);

DROP TABLE pin_records;
DROP TABLE geo_records;
DROP TABLE user_records;
