-- An event's n_mentions and n_documents count its rows in the mentions table.
with counted as (
    select event_id, count(*) as mentions_found, count(distinct document_id) as documents_found
    from {{ ref('mentions') }}
    group by event_id
)

select events.event_id, events.n_mentions, counted.mentions_found, events.n_documents, counted.documents_found
from {{ ref('events') }} as events
inner join counted using (event_id)
where events.n_mentions <> counted.mentions_found or events.n_documents <> counted.documents_found
