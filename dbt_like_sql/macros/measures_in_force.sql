-- measures_in_force(as_of): the restrictive measures (every event_class but easing) in force on the
-- day as_of (a DATE, or text such as '2024-01-01'). A measure is in force on as_of when:
--   * it took effect on or before as_of, and has not ended by then (ended_on is null or later);
--   * if the sources call it lifted, it was not yet reported lifted on as_of (dated by the earliest
--     document whose mention says lifted, else by the event's first report; a lifted event with
--     neither date is never in force);
--   * no easing event lifted it on or before as_of. An easing lifts a measure when it comes from the
--     same imposer, names a product of the measure, has the same targets (both none, or one in
--     common), and is dated (effective, else announced, else first reported) after the measure
--     took effect.
create or replace macro measures_in_force(as_of) as table
with lifting_reports as (
    select mentions.event_id, min(cast(documents.published_at as date)) as reported_lifted_on
    from {{ ref('mentions') }} as mentions
    inner join {{ ref('documents') }} as documents using (document_id)
    where mentions.status = 'lifted'
    group by mentions.event_id
),

easings as (
    select
        imposing_jurisdiction,
        target_jurisdictions,
        products,
        coalesce(effective_on, announced_on, first_reported_on) as eased_on
    from {{ ref('events') }}
    where event_class = 'easing'
),

eased as (
    select measures.event_id, min(easings.eased_on) as eased_on
    from {{ ref('events') }} as measures
    inner join easings
        on easings.imposing_jurisdiction = measures.imposing_jurisdiction
        and list_has_any(easings.products, measures.products)
        and (
            (len(easings.target_jurisdictions) = 0 and len(measures.target_jurisdictions) = 0)
            or list_has_any(easings.target_jurisdictions, measures.target_jurisdictions)
        )
        and easings.eased_on > measures.effective_on
    where measures.event_class <> 'easing'
    group by measures.event_id
),

events as (
    select
        events.*,
        case when events.status = 'lifted'
            then coalesce(lifting_reports.reported_lifted_on, events.first_reported_on)
        end as lifted_on,
        eased.eased_on
    from {{ ref('events') }} as events
    left join lifting_reports using (event_id)
    left join eased using (event_id)
)

select
    cast(as_of as date) as as_of,
    event_id, event_class, measure_type, imposing_jurisdiction, imposing_body, target_jurisdictions,
    target_entities, products, hs_codes, effective_on, ended_on, status, certainty,
    cast(cast(as_of as date) - effective_on as bigint) as days_in_force,
    summary
from events
where event_class <> 'easing'
    and effective_on <= cast(as_of as date)
    and (ended_on is null or ended_on > cast(as_of as date))
    and (status <> 'lifted' or lifted_on > cast(as_of as date))
    and (eased_on is null or eased_on > cast(as_of as date))
order by effective_on, event_id
