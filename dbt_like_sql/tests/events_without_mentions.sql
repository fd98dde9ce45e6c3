-- Every event is merged from at least one mention.
select events.event_id, events.n_mentions
from {{ ref('events') }} as events
where not exists (select 1 from {{ ref('mentions') }} as mentions where mentions.event_id = events.event_id)
