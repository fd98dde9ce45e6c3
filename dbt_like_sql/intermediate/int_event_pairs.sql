-- One row per event and imposer/target pair. An event that names no target country keeps one row
-- with a null target_jurisdiction.
with events as (
    select * from {{ ref('int_events_dated') }}
)

select
    * exclude (target_jurisdictions),
    unnest(
        case when len(target_jurisdictions) = 0 then [null::varchar] else target_jurisdictions end
    ) as target_jurisdiction
from events
