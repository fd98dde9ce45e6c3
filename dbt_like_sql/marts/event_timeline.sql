-- Published mart: the events in time order per imposer/target pair, with running counts. Ties on
-- the date are broken by event_id so the counts never depend on row order.
with pairs as (
    select * from {{ ref('int_event_pairs') }}
),

counted as (
    select
        event_id || '/' || coalesce(target_jurisdiction, '-') as timeline_id,
        event_date,
        date_basis,
        imposing_jurisdiction,
        target_jurisdiction,
        event_id,
        is_first_target,
        event_class,
        measure_type,
        status,
        certainty,
        n_mentions,
        count(*) over pair_so_far as pair_event_seq,
        count(*) over (
            partition by imposing_jurisdiction, target_jurisdiction, event_class
            order by event_date asc nulls last, event_id
            rows between unbounded preceding and current row
        ) as pair_class_seq,
        sum(n_mentions) over pair_so_far as pair_mentions_to_date
    from pairs
    window pair_so_far as (
        partition by imposing_jurisdiction, target_jurisdiction
        order by event_date asc nulls last, event_id
        rows between unbounded preceding and current row
    )
)

select
    timeline_id, event_date, date_basis, imposing_jurisdiction, target_jurisdiction, event_id,
    is_first_target, event_class, measure_type, status, certainty, n_mentions, pair_event_seq, pair_class_seq,
    cast(pair_mentions_to_date as bigint) as pair_mentions_to_date
from counted
order by event_date asc nulls last, imposing_jurisdiction, target_jurisdiction asc nulls first, event_id
