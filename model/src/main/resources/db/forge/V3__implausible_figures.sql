-- Figures no job can have came in through imports and the API before they were checked at the
-- door (io.forge.model.Plausible: more than 64 TiB of memory, ten years of wall time, ten years
-- on 16 384 cores, negative, or not finite; NaN and infinities compare above every bound). Such
-- a run stays in the history with its outcome, unmeasured, so it sizes and trains nothing.
UPDATE resource_prediction
   SET actual_cpu_s = NULL, actual_rss_mb = NULL, actual_wall_s = NULL
 WHERE actual_rss_mb > 67108864 OR actual_rss_mb < 0
    OR actual_wall_s > 316224000 OR actual_wall_s < 0
    OR actual_cpu_s > 5181014016000 OR actual_cpu_s < 0;

UPDATE resource_prediction SET memory_limit_mb = NULL
 WHERE memory_limit_mb > 67108864 OR memory_limit_mb < 0;
