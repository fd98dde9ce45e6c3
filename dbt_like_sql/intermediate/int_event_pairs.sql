-- One row per event and imposer/target pair. An event that names no target country keeps one row
-- with a null target_jurisdiction. is_first_target marks one row per event (its first target in code
-- order), so that counting those rows counts each event once.
with events as (
    select * from {{ ref('int_events_dated') }}
),

pairs as (
    select
        * exclude (target_jurisdictions),
        list_min(target_jurisdictions) as first_target,
        unnest(
            case when len(target_jurisdictions) = 0 then [null::varchar] else target_jurisdictions end
        ) as target_jurisdiction
    from events
)

select * exclude (first_target), target_jurisdiction is not distinct from first_target as is_first_target
from pairs
