-- student_video_watched: typed view over the accepted rows of raw_student_video_watched (one row per student, course and day)
-- Rejected rows (checked_student_video_watched.reject_reason) are quarantined and never reach the analysis.
CREATE OR REPLACE VIEW student_video_watched AS
SELECT
  student_key AS student_id,
  course_key AS course_id,
  seconds AS seconds_watched,
  watched AS date_watched
FROM checked_student_video_watched
WHERE reject_reason IS NULL
