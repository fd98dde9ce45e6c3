-- Events with the one date that places them in time: announced_on, else effective_on, else the day
-- the first document reported them. date_basis says which.
with events as (
    select * from {{ ref('events') }}
)

select
    *,
    coalesce(announced_on, effective_on, first_reported_on) as event_date,
    case
        when announced_on is not null then 'announced'
        when effective_on is not null then 'effective'
        when first_reported_on is not null then 'first_reported'
    end as date_basis
from events
