-- student_video_watched: typed view over raw_student_video_watched (one row per student, course and day)
CREATE OR REPLACE VIEW student_video_watched AS
SELECT
  CAST(student_id AS BIGINT) AS student_id,
  CAST(course_id AS BIGINT) AS course_id,
  CAST(seconds_watched AS DOUBLE) AS seconds_watched,
  CAST(date_watched AS DATE) AS date_watched
FROM raw_student_video_watched
