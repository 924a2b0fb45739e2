-- The nine gold tables (SPEC 5). Posts are silver rows inner-joined on ind; a row with a null in a column that a
-- metric groups or ranks by is left out of that metric; "most" keeps every tied row; medians are exact and
-- interpolated (quantile_cont: the mean of the two middle values for an even count), as DOUBLE.

CREATE TABLE pin_geo AS SELECT * FROM pin JOIN geo USING (ind);
CREATE TABLE pin_user AS SELECT * FROM pin JOIN "user" USING (ind);

CREATE TABLE top_category_by_country AS
SELECT country, category, count(*) AS category_count
FROM pin_geo
WHERE country IS NOT NULL AND category IS NOT NULL
GROUP BY country, category
QUALIFY category_count = max(category_count) OVER (PARTITION BY country);

CREATE TABLE top_category_by_year AS
SELECT year(timestamp)::INTEGER AS post_year, category, count(*) AS category_count
FROM pin_geo
WHERE year(timestamp) BETWEEN 2018 AND 2022 AND category IS NOT NULL
GROUP BY post_year, category
QUALIFY category_count = max(category_count) OVER (PARTITION BY post_year);

-- one row per (country, poster): a poster with several posts at the top count is one row
CREATE TABLE top_user_by_country AS
SELECT DISTINCT country, poster_name, follower_count
FROM pin_geo
WHERE country IS NOT NULL AND poster_name IS NOT NULL AND follower_count IS NOT NULL
QUALIFY follower_count = max(follower_count) OVER (PARTITION BY country);

CREATE TABLE top_country_by_user_followers AS
SELECT DISTINCT country, follower_count
FROM top_user_by_country
QUALIFY follower_count = max(follower_count) OVER ();

CREATE TABLE top_category_by_age_group AS
SELECT age_group(age) AS age_group, category, count(*) AS category_count
FROM pin_user
WHERE age_group(age) IS NOT NULL AND category IS NOT NULL
GROUP BY age_group(age), category
QUALIFY category_count = max(category_count) OVER (PARTITION BY age_group);

CREATE TABLE median_followers_by_age_group AS
SELECT age_group(age) AS age_group, quantile_cont(follower_count, 0.5)::DOUBLE AS median_follower_count
FROM pin_user
WHERE age_group(age) IS NOT NULL AND follower_count IS NOT NULL
GROUP BY age_group(age);

-- reads the user table alone: a user counts whether or not a pin of theirs was cleaned
CREATE TABLE users_joined_by_year AS
SELECT year(date_joined)::INTEGER AS join_year, count(*) AS number_users_joined
FROM (SELECT DISTINCT user_name, age, date_joined FROM "user"
      WHERE user_name IS NOT NULL AND age IS NOT NULL AND date_joined IS NOT NULL)
WHERE year(date_joined) BETWEEN 2015 AND 2020
GROUP BY join_year;

CREATE TABLE median_followers_by_join_year AS
SELECT year(date_joined)::INTEGER AS join_year, quantile_cont(follower_count, 0.5)::DOUBLE AS median_follower_count
FROM pin_user
WHERE year(date_joined) BETWEEN 2015 AND 2020 AND follower_count IS NOT NULL
GROUP BY join_year;

CREATE TABLE median_followers_by_age_group_and_join_year AS
SELECT age_group(age) AS age_group, year(date_joined)::INTEGER AS join_year,
       quantile_cont(follower_count, 0.5)::DOUBLE AS median_follower_count
FROM pin_user
WHERE age_group(age) IS NOT NULL AND year(date_joined) BETWEEN 2015 AND 2020 AND follower_count IS NOT NULL
GROUP BY age_group(age), join_year;

DROP TABLE pin_geo;
DROP TABLE pin_user;
