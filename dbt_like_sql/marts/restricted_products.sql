-- Published mart: products under restriction by HS chapter. Every HS code of a restrictive event
-- (any class but easing) counts in its chapter; chapter descriptions come from the hs_chapters seed.
with events as (
    select * from {{ ref('int_events_dated') }}
    where event_class <> 'easing'
),

codes as (
    select
        event_id,
        imposing_jurisdiction,
        products,
        event_date,
        unnest(hs_codes) as hs_code
    from events
),

chapters as (
    select
        left(hs_code, 2) as hs_chapter,
        count(distinct event_id) as n_events,
        list_sort(list_distinct(list(imposing_jurisdiction))) as imposers,
        list_sort(list_distinct(list(hs_code))) as hs_codes,
        list_sort(list_distinct(flatten(list(products)))) as products,
        min(event_date) as first_event_on,
        max(event_date) as last_event_on
    from codes
    group by 1
)

select
    chapters.hs_chapter,
    seed.chapter_description,
    chapters.n_events,
    chapters.imposers,
    chapters.hs_codes,
    chapters.products,
    chapters.first_event_on,
    chapters.last_event_on
from chapters
left join {{ ref('stg_hs_chapters') }} as seed using (hs_chapter)
order by chapters.hs_chapter
