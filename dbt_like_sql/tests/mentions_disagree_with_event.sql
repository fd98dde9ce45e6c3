-- Mentions merge into one event only when they agree on the measure, its class and the imposer, and
-- name no target outside the event's (warehouse/merge.py); a mention that disagrees was merged wrongly.
select
    mentions.mention_id,
    mentions.event_id,
    mentions.measure_type,
    events.measure_type as event_measure_type,
    mentions.imposing_jurisdiction,
    events.imposing_jurisdiction as event_imposing_jurisdiction,
    mentions.target_jurisdictions,
    events.target_jurisdictions as event_target_jurisdictions
from {{ ref('mentions') }} as mentions
inner join {{ ref('events') }} as events using (event_id)
where mentions.measure_type <> events.measure_type
    or mentions.event_class <> events.event_class
    or mentions.imposing_jurisdiction <> events.imposing_jurisdiction
    or not list_has_all(events.target_jurisdictions, mentions.target_jurisdictions)
