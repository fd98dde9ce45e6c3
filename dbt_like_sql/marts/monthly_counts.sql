-- Published mart: events and their mentions counted by month x imposer x target x event_class.
-- In n_events an event counts once per target country, in the month of its event_date; n_events_once
-- counts it in the row of its first target only, so summing it counts events. Undated events are left out.
with pairs as (
    select *, cast(date_trunc('month', event_date) as date) as month
    from {{ ref('int_event_pairs') }}
    where event_date is not null
),

mention_counts as (
    select event_id, count(*) as n_mentions
    from {{ ref('mentions') }}
    group by event_id
),

counted as (
    select
        pairs.month,
        pairs.imposing_jurisdiction,
        pairs.target_jurisdiction,
        pairs.event_class,
        count(*) as n_events,
        count(*) filter (where pairs.is_first_target) as n_events_once,
        count(*) filter (where pairs.certainty = 'official') as n_official,
        sum(coalesce(mention_counts.n_mentions, 0)) as n_mentions
    from pairs
    left join mention_counts using (event_id)
    group by all
)

select
    strftime(month, '%Y-%m') || '/' || imposing_jurisdiction || '/' || coalesce(target_jurisdiction, '-')
        || '/' || event_class as cell_id,
    month,
    imposing_jurisdiction,
    target_jurisdiction,
    event_class,
    n_events,
    n_events_once,
    n_official,
    cast(n_mentions as bigint) as n_mentions
from counted
order by month, imposing_jurisdiction, target_jurisdiction asc nulls first, event_class
