-- The bevakningslista of DOMAIN.md "Deadlines", in SQL: every open deadline of the cases
-- open on :today, with the default day counts (utredning 7 days, genomförandeplan 14 days,
-- uppföljning 12 months, verkställighet 3 months; months clamped to the month's end),
-- ordered as bevaka orders it (due date, then kind, case and source row).
--
-- Written independently of the Rust rules, from DOMAIN.md alone: the integration tests
-- check that it gives exactly bevaka's list, and the city bench times the `sqlite3` shell
-- on it beside `bevaka report deadlines` (the same rows, as CSV with the same header).
WITH open AS (
  SELECT case_id, worker_id, client_label FROM cases
  WHERE opened <= :today AND (closed IS NULL OR closed > :today)
),
found (kind, rank, due, case_id, source_id, worker_id, insats) AS (
  SELECT 'utredning', 0, date(a.received, '+7 days'), a.case_id, a.application_id,
         COALESCE(a.worker_id, o.worker_id), COALESCE(t.name, a.insats_code)
  FROM applications AS a JOIN open AS o ON o.case_id = a.case_id
  LEFT JOIN insats_types AS t ON t.insats_code = a.insats_code
  WHERE a.decided IS NULL AND a.investigation_started IS NULL
  UNION ALL
  SELECT 'beslut', 1, date(a.received, '+' || t.target_days || ' days'), a.case_id, a.application_id,
         COALESCE(a.worker_id, o.worker_id), t.name
  FROM applications AS a JOIN open AS o ON o.case_id = a.case_id
  JOIN insats_types AS t ON t.insats_code = a.insats_code
  WHERE a.decided IS NULL AND t.target_days IS NOT NULL
  UNION ALL
  SELECT 'genomforandeplan', 2, date(i.ordered, '+14 days'), i.case_id, i.intervention_id,
         o.worker_id, COALESCE(t.name, i.insats_code)
  FROM interventions AS i JOIN open AS o ON o.case_id = i.case_id
  LEFT JOIN insats_types AS t ON t.insats_code = i.insats_code
  WHERE i.ordered IS NOT NULL AND i.plan_received IS NULL AND (i.end IS NULL OR i.end >= :today)
  UNION ALL
  SELECT 'uppfoljning', 3,
         CASE WHEN strftime('%d', date(b, '+12 months')) = strftime('%d', b)
              THEN date(b, '+12 months') ELSE date(b, 'start of month', '+13 months', '-1 day') END,
         case_id, intervention_id, worker_id, insats
  FROM (
    SELECT i.case_id, i.intervention_id, o.worker_id, COALESCE(t.name, i.insats_code) AS insats,
           CASE WHEN i.last_followup IS NOT NULL AND i.decided IS NOT NULL
                THEN max(i.last_followup, i.decided)
                ELSE COALESCE(i.last_followup, i.decided, i.start) END AS b
    FROM interventions AS i JOIN open AS o ON o.case_id = i.case_id
    LEFT JOIN insats_types AS t ON t.insats_code = i.insats_code
    WHERE i.start <= :today AND (i.end IS NULL OR i.end >= :today)
  )
  UNION ALL
  SELECT 'omprovning', 4, i.end, i.case_id, i.intervention_id, o.worker_id, COALESCE(t.name, i.insats_code)
  FROM interventions AS i JOIN open AS o ON o.case_id = i.case_id
  LEFT JOIN insats_types AS t ON t.insats_code = i.insats_code
  WHERE i.start <= :today AND i.end >= :today
  UNION ALL
  SELECT 'verkstallighet', 5,
         CASE WHEN strftime('%d', date(i.decided, '+3 months')) = strftime('%d', i.decided)
              THEN date(i.decided, '+3 months') ELSE date(i.decided, 'start of month', '+4 months', '-1 day') END,
         i.case_id, i.intervention_id, o.worker_id, COALESCE(t.name, i.insats_code)
  FROM interventions AS i JOIN open AS o ON o.case_id = i.case_id
  LEFT JOIN insats_types AS t ON t.insats_code = i.insats_code
  WHERE i.decided IS NOT NULL AND (i.start IS NULL OR i.start > :today)
    AND (i.end IS NULL OR i.end > :today)
  UNION ALL
  SELECT 'bevakning', 6, f.due, f.case_id, f.followup_id, COALESCE(f.worker_id, o.worker_id), f.kind
  FROM followups AS f JOIN open AS o ON o.case_id = f.case_id
  WHERE f.done IS NULL
)
SELECT CASE WHEN d < 0 THEN 'forsenad' WHEN d = 0 THEN 'idag' WHEN d <= 7 THEN 'vecka'
            WHEN d <= 30 THEN 'kommande' ELSE 'senare' END AS status,
       due AS "förfallodag", d AS dagar_kvar, kind AS typ, found.case_id AS "ärende",
       o.client_label AS klient, insats, found.worker_id AS "handläggare"
FROM (SELECT *, CAST(julianday(due) - julianday(:today) AS INTEGER) AS d FROM found) AS found
JOIN open AS o ON o.case_id = found.case_id
ORDER BY due, rank, found.case_id, source_id;
