-- measures_in_force(as_of): the restrictive measures (every event_class but easing) in force on the
-- day as_of (a DATE, or text such as '2024-01-01'). A measure is in force from in_force_from: its
-- effective_on; or, when no source gives an effective date but the sources say it is in force
-- (status in_force), from its announcement, else from its first report (in_force_basis says which).
-- A measure only announced, with no effective date, is not listed. It is in force on as_of when:
--   * in_force_from is on or before as_of, and it has not ended by then (ended_on is null or later);
--   * if the sources call it lifted, it was not yet reported lifted on as_of (dated by the earliest
--     document whose mention says lifted, else by the event's first report; a lifted event with
--     neither date is never in force);
--   * no easing event lifted it on or before as_of. An easing lifts a measure when it comes from the
--     same imposer, names a product of the measure, has the same targets (both none, or one in
--     common), and is dated (effective, else announced, else first reported) after the measure
--     came into force.
create or replace macro measures_in_force(as_of) as table
with dated as (
    select
        *,
        coalesce(
            effective_on, case when status = 'in_force' then coalesce(announced_on, first_reported_on) end
        ) as in_force_from,
        case
            when effective_on is not null then 'effective'
            when status = 'in_force' and announced_on is not null then 'announced'
            when status = 'in_force' and first_reported_on is not null then 'first_reported'
        end as in_force_basis
    from {{ ref('events') }}
),

lifting_reports as (
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
    from dated as measures
    inner join easings
        on easings.imposing_jurisdiction = measures.imposing_jurisdiction
        and list_has_any(easings.products, measures.products)
        and (
            (len(easings.target_jurisdictions) = 0 and len(measures.target_jurisdictions) = 0)
            or list_has_any(easings.target_jurisdictions, measures.target_jurisdictions)
        )
        and easings.eased_on > measures.in_force_from
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
    from dated as events
    left join lifting_reports using (event_id)
    left join eased using (event_id)
)

select
    cast(as_of as date) as as_of,
    event_id, event_class, measure_type, imposing_jurisdiction, imposing_body, target_jurisdictions,
    target_entities, products, hs_codes, in_force_from, in_force_basis, effective_on, ended_on, status,
    certainty, cast(cast(as_of as date) - in_force_from as bigint) as days_in_force,
    summary
from events
where event_class <> 'easing'
    and in_force_from <= cast(as_of as date)
    and (ended_on is null or ended_on > cast(as_of as date))
    and (status <> 'lifted' or lifted_on > cast(as_of as date))
    and (eased_on is null or eased_on > cast(as_of as date))
order by in_force_from, event_id
